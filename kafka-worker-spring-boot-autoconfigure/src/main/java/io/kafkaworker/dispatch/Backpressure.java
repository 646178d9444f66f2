package io.kafkaworker.dispatch;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;

/**
 * Bounds what a worker holds in memory, buffered or in flight, by pausing only the
 * partitions that feed the backlog and resuming each one as its backlog drains. The bound
 * is two-fold: a number of records and an estimate of their memory in bytes; either one
 * being exceeded engages back-pressure.
 *
 * <p>
 * Rules, with {@code fair share = bound / assigned partitions} for each of the two
 * bounds:
 * <ul>
 * <li>A partition is paused when the worker holds more than a bound and the partition
 * holds more than its fair share of that bound. Partitions below their share keep
 * flowing, so one slow lane never pauses every partition.</li>
 * <li>A paused partition is resumed when it holds at most half its fair share of both
 * bounds, or the worker holds at most half of both bounds. The gap between the two
 * thresholds keeps a partition from flapping.</li>
 * </ul>
 * The bound is soft: records arrive a poll at a time, so the worker may briefly hold one
 * poll ({@code max.poll.records}) more than the bound.
 *
 * <p>
 * Where a partition runs in several lanes (KEY ordering), the records its deepest lane
 * holds beyond half the partition's fair share do not count against the record bound:
 * pausing the partition cannot make that lane (a hot or slow key) go faster, and it would
 * stop fetching the partition's other keys, whose records lie behind that lane's in the
 * log, although their lanes are idle. To resume, the deepest lane counts only up to a
 * quarter of the share, so that a partition paused beside a hot lane resumes once its
 * other records drained (counted up to half, the hot lane alone and its running call
 * would keep it above half its share until the hot key's backlog drained). They still
 * count against the byte bound, which keeps memory bounded.
 *
 * <p>
 * Pauses are decided on consumer threads, after a poll is dispatched. Resumes are decided
 * on lane threads as records complete, so a paused partition resumes without waiting for
 * a poll timeout, and again on consumer threads before each poll, as a safety net and for
 * the deepest lane, which only consumer threads look up: a lane thread wakes the
 * partition's consumer from its poll when the partition could resume with that lane as
 * last looked up. Each partition's pause state changes under its own lock together with
 * the request to the {@link PauseControl}, so a pause and a resume racing each other
 * cannot leave the partition paused with nobody to resume it.
 */
public final class Backpressure {

	private static final long MIN_LOOK_INTERVAL_NANOS = Duration.ofMillis(10).toNanos();

	private final long maxRecords;

	private final long maxBytes;

	private final PauseControl control;

	private final ToIntFunction<TopicPartition> deepestLane;

	private final ConcurrentMap<TopicPartition, Flow> flows = new ConcurrentHashMap<>();

	/**
	 * Create the back-pressure of one worker, bounded by records only.
	 * @param maxRecords the most records the worker should hold, buffered or in flight
	 * @param control pauses and resumes partitions at the consumer
	 */
	public Backpressure(int maxRecords, PauseControl control) {
		this(maxRecords, Long.MAX_VALUE, control);
	}

	/**
	 * Create the back-pressure of one worker.
	 * @param maxRecords the most records the worker should hold, buffered or in flight
	 * @param maxBytes the most estimated bytes the worker should hold
	 * @param control pauses and resumes partitions at the consumer
	 */
	public Backpressure(long maxRecords, long maxBytes, PauseControl control) {
		this(maxRecords, maxBytes, control, (partition) -> 0);
	}

	/**
	 * Create the back-pressure of one worker whose partitions run in several lanes.
	 * @param maxRecords the most records the worker should hold, buffered or in flight
	 * @param maxBytes the most estimated bytes the worker should hold
	 * @param control pauses and resumes partitions at the consumer
	 * @param deepestLane the records waiting in a partition's deepest lane, or 0 when a
	 * partition is one lane; called on consumer threads only
	 */
	public Backpressure(long maxRecords, long maxBytes, PauseControl control,
			ToIntFunction<TopicPartition> deepestLane) {
		if (maxRecords < 1 || maxBytes < 1) {
			throw new IllegalArgumentException("maxRecords and maxBytes must be at least 1");
		}
		this.maxRecords = maxRecords;
		this.maxBytes = maxBytes;
		this.control = control;
		this.deepestLane = deepestLane;
	}

	/**
	 * Start watching a newly assigned partition.
	 * @param partition the partition's progress
	 * @param wakeConsumer wakes the consumer thread that owns the partition from its
	 * poll, so that it looks at the partition's deepest lane before the poll timeout
	 */
	public void track(PartitionOffsets partition, Runnable wakeConsumer) {
		Flow replaced = this.flows.put(partition.topicPartition(), new Flow(partition, wakeConsumer));
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
		Load held = held();
		if (held.records <= this.maxRecords && held.bytes <= this.maxBytes) {
			return;
		}
		Load share = fairShare();
		for (Flow flow : this.flows.values()) {
			// Looked up outside the flow's lock (it takes the lane scheduler's), and only
			// for a partition whose records could pause it: the lookup scans the lanes.
			boolean candidate = !flow.paused && flow.partition.outstanding() > share.records;
			int deepestLane = candidate ? this.deepestLane.applyAsInt(flow.partition.topicPartition()) : 0;
			synchronized (flow) {
				if (!flow.paused && !flow.partition.isRevoked()
						&& (countedRecords(flow, share.records / 2, deepestLane) > share.records
								|| flow.partition.outstandingBytes() > share.bytes)) {
					flow.looked(deepestLane);
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
			// All its records, not only the counted ones: the deepest lane is looked up
			// on consumer threads only, and reconcile resumes what this leaves paused.
			Load share = fairShare();
			resumeIfDrained(flow, share, held(), 0);
			// Lanes only shrink while the partition is paused, so with the deepest lane
			// as last looked up it could resume now only if this holds: then wake the
			// consumer thread to look, once per look. Waiting for its poll timeout cost
			// a hot key's partition up to a second per pause (HotKeyBackpressure-
			// IntegrationTests: the other keys finished after 400 hot records; now 5-9).
			// At most every few milliseconds: while the hot lane shrinks too, a look can
			// find the partition not yet drained, and each look scans the lanes.
			if (flow.paused && flow.partition.outstanding() <= flow.deepestLane + share.records / 4
					&& flow.partition.outstandingBytes() <= share.bytes / 2
					&& System.nanoTime() - flow.lookedAtNanos >= MIN_LOOK_INTERVAL_NANOS
					&& flow.lookAsked.compareAndSet(false, true)) {
				flow.wakeConsumer.run();
			}
		}
	}

	/**
	 * Resume every paused partition whose backlog drained enough. Called on consumer
	 * threads before each poll.
	 */
	public void reconcile() {
		Load share = fairShare();
		Load held = null;
		for (Flow flow : this.flows.values()) {
			if (flow.paused) {
				if (held == null) {
					held = held();
				}
				int deepestLane = this.deepestLane.applyAsInt(flow.partition.topicPartition());
				flow.looked(deepestLane);
				resumeIfDrained(flow, share, held, deepestLane);
			}
		}
	}

	/**
	 * Return the records held by the worker, buffered or in flight.
	 * @return the number of records received and not yet complete
	 */
	public int heldRecords() {
		return (int) Math.min(Integer.MAX_VALUE, held().records);
	}

	/**
	 * Return the estimated memory of the records held by the worker.
	 * @return the estimate in bytes
	 */
	public long heldBytes() {
		return held().bytes;
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
	public long maxRecords() {
		return this.maxRecords;
	}

	/**
	 * Return the bound on the estimated memory of held records.
	 * @return the most bytes the worker should hold
	 */
	public long maxBytes() {
		return this.maxBytes;
	}

	private void resumeIfDrained(Flow flow, Load share, Load held, int deepestLane) {
		synchronized (flow) {
			boolean partitionDrained = countedRecords(flow, share.records / 4, deepestLane) <= share.records / 2
					&& flow.partition.outstandingBytes() <= share.bytes / 2;
			boolean workerDrained = held.records <= this.maxRecords / 2 && held.bytes <= this.maxBytes / 2;
			if (flow.paused && (partitionDrained || workerDrained)) {
				flow.paused = false;
				this.control.resume(flow.partition.topicPartition());
			}
		}
	}

	// The partition's records less what its deepest lane holds beyond an allowance: half
	// the fair share to pause, a quarter to resume. The lane's running call is not in
	// deepestLane (buffered records only) but is in outstanding(): with the same
	// allowance both ways, a partition paused beside a hot lane could never count at
	// most half its share again (found by P3 with 50,000 records: a fifth of a second's
	// work on the other keys waited 99 s, until the worker held half its bound).
	private static long countedRecords(Flow flow, long deepLaneAllowance, int deepestLane) {
		return flow.partition.outstanding() - Math.max(0, deepestLane - deepLaneAllowance);
	}

	private Load held() {
		long records = 0;
		long bytes = 0;
		for (Flow flow : this.flows.values()) {
			records += flow.partition.outstanding();
			bytes += flow.partition.outstandingBytes();
		}
		return new Load(records, bytes);
	}

	private Load fairShare() {
		int partitions = Math.max(1, this.flows.size());
		return new Load(Math.max(1, this.maxRecords / partitions), Math.max(1, this.maxBytes / partitions));
	}

	private record Load(long records, long bytes) {
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

		final Runnable wakeConsumer;

		volatile boolean paused;

		// The records waiting in the partition's deepest lane when the consumer thread
		// last looked (paused it or reconciled).
		volatile int deepestLane;

		// When the consumer thread last looked.
		volatile long lookedAtNanos;

		// Whether a lane thread woke the consumer thread to look since it last looked.
		final AtomicBoolean lookAsked = new AtomicBoolean();

		Flow(PartitionOffsets partition, Runnable wakeConsumer) {
			this.partition = partition;
			this.wakeConsumer = wakeConsumer;
		}

		// The consumer thread looked at the partition (paused it or reconciled).
		void looked(int deepestLane) {
			this.deepestLane = deepestLane;
			this.lookedAtNanos = System.nanoTime();
			this.lookAsked.set(false);
		}

	}

}
