package io.kafkaworker.dispatch;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;

/**
 * Bounds the records a worker holds in memory, buffered or in flight, by pausing only the
 * partitions that feed the backlog and resuming each one as its backlog drains.
 *
 * <p>
 * Rules, with {@code fair share = max records / assigned partitions}:
 * <ul>
 * <li>A partition is paused when the worker holds more than {@code max records} and the
 * partition holds more than its fair share. Partitions below their share keep flowing, so
 * one slow lane never pauses every partition.</li>
 * <li>A paused partition is resumed when it holds at most half its fair share, or the
 * worker holds at most half of {@code max records}. The gap between the two thresholds
 * keeps a partition from flapping.</li>
 * </ul>
 * The bound is soft: records arrive a poll at a time, so the worker may briefly hold one
 * poll ({@code max.poll.records}) more than the bound.
 *
 * <p>
 * Pauses are decided on consumer threads, after a poll is dispatched. Resumes are decided
 * on lane threads as records complete, so a paused partition resumes without waiting for
 * a poll timeout, and again on consumer threads before each poll, as a safety net. Each
 * partition's pause state changes under its own lock together with the request to the
 * {@link PauseControl}, so a pause and a resume racing each other cannot leave the
 * partition paused with nobody to resume it.
 */
public final class Backpressure {

	private final int maxRecords;

	private final PauseControl control;

	private final ConcurrentMap<TopicPartition, Flow> flows = new ConcurrentHashMap<>();

	/**
	 * Create the back-pressure of one worker.
	 * @param maxRecords the most records the worker should hold, buffered or in flight
	 * @param control pauses and resumes partitions at the consumer
	 */
	public Backpressure(int maxRecords, PauseControl control) {
		if (maxRecords < 1) {
			throw new IllegalArgumentException("maxRecords must be at least 1");
		}
		this.maxRecords = maxRecords;
		this.control = control;
	}

	/**
	 * Start watching a newly assigned partition.
	 * @param partition the partition's progress
	 */
	public void track(PartitionOffsets partition) {
		Flow replaced = this.flows.put(partition.topicPartition(), new Flow(partition));
		if (replaced != null) {
			// Another consumer of the worker took the partition before the old owner let
			// go
			// of it: lift the old owner's pause, or nobody ever would.
			lift(replaced);
		}
	}

	/**
	 * Stop watching a partition that was revoked or lost, lifting a pause this object
	 * asked for so that the partition is not paused if it comes back.
	 * @param partition the partition's progress, as given to {@link #track}
	 */
	public void untrack(PartitionOffsets partition) {
		Flow flow = this.flows.get(partition.topicPartition());
		if (flow != null && flow.partition == partition && this.flows.remove(partition.topicPartition(), flow)) {
			lift(flow);
		}
	}

	private void lift(Flow flow) {
		synchronized (flow) {
			if (flow.paused) {
				flow.paused = false;
				this.control.resume(flow.partition.topicPartition());
			}
		}
	}

	/**
	 * Pause the partitions over their share, if the worker holds too much. Called on a
	 * consumer thread after dispatching a poll.
	 */
	public void afterDispatch() {
		if (heldRecords() <= this.maxRecords) {
			return;
		}
		int fairShare = fairShare();
		for (Flow flow : this.flows.values()) {
			synchronized (flow) {
				if (!flow.paused && flow.partition.outstanding() > fairShare && !flow.partition.isRevoked()) {
					flow.paused = true;
					this.control.pause(flow.partition.topicPartition());
				}
			}
		}
	}

	/**
	 * Resume a partition if its backlog drained enough. Called on a lane thread after
	 * records of the partition left a handler call; cheap when the partition is not
	 * paused.
	 * @param partition the partition's progress
	 */
	public void progressed(PartitionOffsets partition) {
		Flow flow = this.flows.get(partition.topicPartition());
		if (flow != null && flow.paused && flow.partition == partition) {
			resumeIfDrained(flow, fairShare(), heldRecords());
		}
	}

	/**
	 * Resume every paused partition whose backlog drained enough. Called on consumer
	 * threads before each poll.
	 */
	public void reconcile() {
		int fairShare = fairShare();
		int held = -1;
		for (Flow flow : this.flows.values()) {
			if (flow.paused) {
				if (held < 0) {
					held = heldRecords();
				}
				resumeIfDrained(flow, fairShare, held);
			}
		}
	}

	/**
	 * Return the records held by the worker, buffered or in flight.
	 * @return the number of records received and not yet complete
	 */
	public int heldRecords() {
		int held = 0;
		for (Flow flow : this.flows.values()) {
			held += flow.partition.outstanding();
		}
		return held;
	}

	/**
	 * Return the partitions paused by back-pressure.
	 * @return the paused partitions, sorted by topic and partition
	 */
	public Set<TopicPartition> pausedPartitions() {
		Set<TopicPartition> paused = new TreeSet<>((a, b) -> (a.topic().equals(b.topic()))
				? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
		this.flows.forEach((partition, flow) -> {
			if (flow.paused) {
				paused.add(partition);
			}
		});
		return paused;
	}

	/**
	 * Return the bound on held records.
	 * @return the most records the worker should hold
	 */
	public int maxRecords() {
		return this.maxRecords;
	}

	private void resumeIfDrained(Flow flow, int fairShare, int held) {
		synchronized (flow) {
			if (flow.paused && (flow.partition.outstanding() <= fairShare / 2 || held <= this.maxRecords / 2)) {
				flow.paused = false;
				this.control.resume(flow.partition.topicPartition());
			}
		}
	}

	private int fairShare() {
		return Math.max(1, this.maxRecords / Math.max(1, this.flows.size()));
	}

	/**
	 * Pauses and resumes partitions at the consumer. Implementations must be safe to call
	 * from any thread and must not call back into {@link Backpressure}.
	 */
	public interface PauseControl {

		/**
		 * Ask the consumer to stop fetching a partition.
		 * @param partition the partition
		 */
		void pause(TopicPartition partition);

		/**
		 * Ask the consumer to fetch a partition again.
		 * @param partition the partition
		 */
		void resume(TopicPartition partition);

	}

	private static final class Flow {

		final PartitionOffsets partition;

		volatile boolean paused;

		Flow(PartitionOffsets partition) {
			this.partition = partition;
		}

	}

}
