package io.kafkaworker.failure;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.event.RecordFailedEvent;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Applies a worker's failure policy to records whose handler still fails after its
 * retries, on the lane thread: freeze, dead-letter, skip or stop. Nothing here loses a
 * record: a dead letter that cannot be published freezes the record instead.
 */
public final class FailureActions {

	private static final Log logger = LogFactory.getLog(FailureActions.class);

	private final String workerId;

	private final FailureSettings settings;

	private final FreezeControl freezes;

	private final @Nullable DeadLetterPublisher deadLetters;

	private final WorkerEvents events;

	private final Runnable stopWorker;

	private final WorkerObserver observer;

	public FailureActions(String workerId, FailureSettings settings, FreezeControl freezes,
			@Nullable DeadLetterPublisher deadLetters, WorkerEvents events, Runnable stopWorker,
			WorkerObserver observer) {
		this.workerId = workerId;
		this.settings = settings;
		this.freezes = freezes;
		this.deadLetters = deadLetters;
		this.events = events;
		this.stopWorker = stopWorker;
		this.observer = observer;
	}

	/**
	 * Note a failed attempt that will be retried.
	 * @param records the records of the attempt
	 * @param failure the failure
	 * @param attempt the attempt that failed
	 */
	public void retrying(List<WorkItem> records, Throwable failure, int attempt) {
		count(records, RecordOutcome.RETRY);
	}

	/**
	 * Apply the failure policy to records whose retries are exhausted.
	 * @param records the records of the failed invocation
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @return what the lane does next
	 */
	public CallOutcome exhausted(List<WorkItem> records, Throwable failure, int attempts) {
		FailurePolicy policy = this.settings.onFailure();
		for (WorkItem item : records) {
			this.events.publish(new RecordFailedEvent(this.events.source(), this.workerId, item.record(), failure,
					attempts, policy));
		}
		return switch (policy) {
			case SKIP -> skip(records, failure, attempts);
			case DEAD_LETTER -> deadLetter(records, failure, attempts);
			case STOP -> stop(records, failure, attempts);
			case FREEZE -> freeze(records, failure, attempts);
		};
	}

	private CallOutcome skip(List<WorkItem> records, Throwable failure, int attempts) {
		logger.error("Worker '" + this.workerId + "' skipped " + describe(records) + " after " + attempts
				+ " attempts (on-failure SKIP)", failure);
		records.forEach(WorkItem::complete);
		count(records, RecordOutcome.SKIPPED);
		return CallOutcome.DONE;
	}

	private CallOutcome deadLetter(List<WorkItem> records, Throwable failure, int attempts) {
		DeadLetterPublisher publisher = this.deadLetters;
		if (publisher == null) {
			logger.error("Worker '" + this.workerId + "' cannot dead-letter " + describe(records)
					+ ": no KafkaTemplate is available; freezing instead");
			return freeze(records, failure, attempts);
		}
		try {
			for (WorkItem item : records) {
				publisher.publish(item.record(), failure, attempts);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Worker '" + this.workerId + "' could not publish " + describe(records)
					+ " to the dead-letter topic; freezing instead so nothing is lost", ex);
			return freeze(records, failure, attempts);
		}
		logger.warn("Worker '" + this.workerId + "' dead-lettered " + describe(records) + " after " + attempts
				+ " attempts: " + failure);
		records.forEach(WorkItem::complete);
		count(records, RecordOutcome.DEAD_LETTERED);
		return CallOutcome.DONE;
	}

	private CallOutcome stop(List<WorkItem> records, Throwable failure, int attempts) {
		logger.error("Worker '" + this.workerId + "' is stopping (on-failure STOP): " + describe(records)
				+ " failed after " + attempts + " attempts; its offset stays uncommitted", failure);
		count(records, RecordOutcome.FAILURE);
		return CallOutcome.haltThen(this.stopWorker);
	}

	private CallOutcome freeze(List<WorkItem> records, Throwable failure, int attempts) {
		count(records, RecordOutcome.FAILURE);
		return CallOutcome.haltThen(() -> this.freezes.freeze(records, failure, attempts));
	}

	public void count(List<WorkItem> records, RecordOutcome outcome) {
		countByTopic(this.observer, this.workerId, records, outcome);
	}

	// Calls hold one topic's records except the single lane of SERIAL mode over several
	// topics: count each run of one topic.
	public static void countByTopic(WorkerObserver observer, String workerId, List<WorkItem> records,
			RecordOutcome outcome) {
		int start = 0;
		for (int i = 1; i <= records.size(); i++) {
			String topic = records.get(start).record().topic();
			if (i == records.size() || !records.get(i).record().topic().equals(topic)) {
				observer.recordsHandled(workerId, topic, outcome, i - start);
				start = i;
			}
		}
	}

	private static String describe(List<WorkItem> records) {
		return (records.size() == 1) ? records.get(0).toString() : records.size() + " records " + records;
	}

}
