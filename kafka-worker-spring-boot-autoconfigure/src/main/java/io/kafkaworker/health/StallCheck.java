package io.kafkaworker.health;

import java.time.Duration;

import io.kafkaworker.runtime.WorkerSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Whether a running worker is stuck: its consumer thread stopped coming back to poll, or
 * one handler call has run too long.
 *
 * @param maxTimeBetweenPolls the longest time a consumer thread may go without polling
 * @param maxProcessingTime the longest time one handler call may run
 */
public record StallCheck(Duration maxTimeBetweenPolls, Duration maxProcessingTime) {

	/**
	 * Describe why a worker is stalled.
	 * @param worker the worker
	 * @return the reason, or null when the worker is not stalled or not running
	 */
	public @Nullable String stalled(WorkerSnapshot worker) {
		if (worker.state() == WorkerSnapshot.State.STOPPED || worker.state() == WorkerSnapshot.State.FINISHED) {
			return null;
		}
		if (worker.sinceLastPoll().compareTo(this.maxTimeBetweenPolls) > 0) {
			return "a consumer thread has not polled for " + seconds(worker.sinceLastPoll()) + " (limit "
					+ seconds(this.maxTimeBetweenPolls) + ")";
		}
		if (worker.longestRunningCall().compareTo(this.maxProcessingTime) > 0) {
			return "a handler call has run for " + seconds(worker.longestRunningCall()) + " (limit "
					+ seconds(this.maxProcessingTime) + ")";
		}
		return null;
	}

	private static String seconds(Duration duration) {
		return duration.toSeconds() + "s";
	}

}
