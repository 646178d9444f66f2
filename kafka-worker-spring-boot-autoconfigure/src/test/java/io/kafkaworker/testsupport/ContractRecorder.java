package io.kafkaworker.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.annotation.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches handler calls as they happen and records every breach of a mode's contract: two
 * calls of one exclusive lane at once, a lane's records out of offset order, more calls
 * at once than the worker's concurrency. It also counts how often each record was
 * handled, so tests can check that nothing was lost.
 * <p>
 * Tests with rebalances tell it when a partition changes hands ({@link #assigned},
 * {@link #revoked}, {@link #lost}): a partition's tenure runs from an assignment to the
 * revocation, order is strict within a tenure (a new owner starts again at the committed
 * offset), no record of a tenure may complete after its revocation (which waits for the
 * records in flight), and each revocation must commit exactly the lowest offset its
 * tenure had not completed ({@link #checkRevocationCommit}).
 */
public final class ContractRecorder {

	private final Mode mode;

	private final int concurrency;

	private final boolean strictOrder;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger maxActive = new AtomicInteger();

	private final Map<Object, AtomicInteger> activeByLane = new ConcurrentHashMap<>();

	private final Map<Object, Long> lastOffsetByOrderLane = new ConcurrentHashMap<>();

	private final Map<Object, Long> lastFirstDeliveryByOrderLane = new ConcurrentHashMap<>();

	private final Map<Integer, Long> epochStart = new ConcurrentHashMap<>();

	private final Map<Integer, Set<Long>> epochCompleted = new ConcurrentHashMap<>();

	private final AtomicInteger handovers = new AtomicInteger();

	private final AtomicInteger redeliverable = new AtomicInteger();

	private final AtomicInteger losses = new AtomicInteger();

	private final AtomicInteger tenures = new AtomicInteger();

	/** The tenure each partition is in, absent while nobody owns it. */
	private final Map<Integer, Integer> tenureByPartition = new ConcurrentHashMap<>();

	private final Set<Integer> lostTenures = ConcurrentHashMap.newKeySet();

	/** The tenure of its partition when each running record entered its call. */
	private final Map<String, Integer> tenureAtEntry = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

	private final Set<String> entered = ConcurrentHashMap.newKeySet();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger calls = new AtomicInteger();

	/**
	 * Create a recorder.
	 * @param mode the worker's mode
	 * @param concurrency the worker's concurrency
	 * @param strictOrder whether every record a lane handles must have a higher offset
	 * than the one before (within one tenure of its partition); the first delivery of
	 * each record must come in offset order either way
	 */
	public ContractRecorder(Mode mode, int concurrency, boolean strictOrder) {
		this.mode = mode;
		this.concurrency = concurrency;
		this.strictOrder = strictOrder;
	}

	/**
	 * Note that a handler call starts, with its records in the order the call received
	 * them.
	 * @param records the call's records
	 */
	public void enter(List<? extends ConsumerRecord<?, ?>> records) {
		this.calls.incrementAndGet();
		int now = this.active.incrementAndGet();
		this.maxActive.accumulateAndGet(now, Math::max);
		if (now > this.concurrency) {
			this.violations.add(now + " calls at once, above the concurrency of " + this.concurrency);
		}
		Object lane = exclusiveLane(records.get(0));
		for (ConsumerRecord<?, ?> record : records) {
			if (lane != null && !lane.equals(exclusiveLane(record))) {
				this.violations.add("one call mixed lanes " + lane + " and " + exclusiveLane(record));
			}
			Object orderLane = orderLane(record);
			boolean firstDelivery = this.entered.add(key(record.topic(), record.partition(), record.offset()));
			if (orderLane != null && firstDelivery) {
				checkOrder(this.lastFirstDeliveryByOrderLane, orderLane, record.offset(), "first delivered");
			}
			if (orderLane != null && this.strictOrder) {
				checkOrder(this.lastOffsetByOrderLane, orderLane, record.offset(), "handled");
			}
			this.tenureAtEntry.put(key(record.topic(), record.partition(), record.offset()),
					this.tenureByPartition.getOrDefault(record.partition(), -1));
		}
		if (lane != null
				&& this.activeByLane.computeIfAbsent(lane, (key) -> new AtomicInteger()).incrementAndGet() > 1) {
			this.violations.add("two calls of exclusive lane " + lane + " at once");
		}
	}

	private void checkOrder(Map<Object, Long> lastOffsets, Object orderLane, long offset, String what) {
		Long previous = lastOffsets.put(orderLane, offset);
		if (previous != null && previous >= offset) {
			this.violations.add("lane " + orderLane + " " + what + " offset " + offset + " after " + previous);
		}
	}

	/**
	 * Note a violation seen outside {@link #enter} and {@link #exit}, on a handler's
	 * thread: recorded for the test to assert, not thrown into the worker, where it would
	 * become a retry.
	 * @param violation what went wrong
	 */
	public void violation(String violation) {
		this.violations.add(violation);
	}

	/**
	 * Note that a partition was assigned: its new owner starts at the committed offset
	 * and hands its lanes out in offset order from there.
	 * @param partition the partition
	 * @param committed the group's committed offset when it was assigned, or -1
	 */
	public void assigned(TopicPartition partition, long committed) {
		this.tenureByPartition.put(partition.partition(), this.tenures.incrementAndGet());
		this.epochStart.put(partition.partition(), Math.max(committed, 0));
		this.epochCompleted.put(partition.partition(), ConcurrentHashMap.newKeySet());
		this.lastOffsetByOrderLane.keySet().removeIf((lane) -> partitionOf(lane) == partition.partition());
	}

	/**
	 * Note that a partition was revoked, after its owner waited for its records in flight
	 * and committed: its tenure ends, and no record of it may complete any more. Records
	 * completed above the lowest offset the tenure had not completed are the only ones
	 * the next owner may handle again.
	 * @param partition the partition
	 * @return the lowest offset the tenure had not completed, which the revocation must
	 * have committed; -1 if the partition had no tenure
	 */
	public long revoked(TopicPartition partition) {
		this.tenureByPartition.remove(partition.partition());
		Set<Long> completed = this.epochCompleted.remove(partition.partition());
		Long start = this.epochStart.remove(partition.partition());
		if (completed == null || start == null) {
			return -1;
		}
		this.handovers.incrementAndGet();
		long lowestIncomplete = start;
		// A record an earlier tenure completed above its commit was listed in the
		// commit's metadata and skipped by this one (or handled again: a duplicate).
		while (completed.contains(lowestIncomplete)
				|| this.handled.containsKey(key(partition.topic(), partition.partition(), lowestIncomplete))) {
			lowestIncomplete++;
		}
		long watermark = lowestIncomplete;
		this.redeliverable.addAndGet((int) completed.stream().filter((offset) -> offset > watermark).count());
		return watermark;
	}

	/**
	 * Check a revocation's commit: it must be the lowest offset its tenure had not
	 * completed, not above (a record lost), not below (records done handled again).
	 * @param partition the partition
	 * @param watermark what {@link #revoked} returned
	 * @param committed the group's committed offset right after the revocation, or -1
	 */
	public void checkRevocationCommit(TopicPartition partition, long watermark, long committed) {
		if (watermark >= 0 && Math.max(committed, 0) != watermark) {
			this.violations.add("the revocation of " + partition + " committed " + committed
					+ ", but its tenure had completed every record below " + watermark + " and not " + watermark);
		}
	}

	/**
	 * Note that a partition was lost: nothing was committed, so its next owner may handle
	 * again anything after the last commit.
	 * @param partition the partition
	 */
	public void lost(TopicPartition partition) {
		Integer tenure = this.tenureByPartition.remove(partition.partition());
		if (tenure != null) {
			// nothing waited for its records in flight: they may complete late
			this.lostTenures.add(tenure);
		}
		this.epochCompleted.remove(partition.partition());
		this.epochStart.remove(partition.partition());
		this.losses.incrementAndGet();
	}

	/**
	 * Return how many revocations were checked.
	 * @return the number of handovers
	 */
	public int handovers() {
		return this.handovers.get();
	}

	/**
	 * Return how many records revocations left complete above their commit: the most
	 * duplicates there may be, unless a partition was lost.
	 * @return the records the next owners may handle again
	 */
	public int redeliverable() {
		return this.redeliverable.get();
	}

	/**
	 * Return how many partitions were lost rather than revoked.
	 * @return the number of losses
	 */
	public int losses() {
		return this.losses.get();
	}

	/**
	 * Note that a handler call ended, successfully.
	 * @param records the call's records
	 */
	public void exit(List<? extends ConsumerRecord<?, ?>> records) {
		Object lane = exclusiveLane(records.get(0));
		if (lane != null) {
			this.activeByLane.get(lane).decrementAndGet();
		}
		for (ConsumerRecord<?, ?> record : records) {
			this.handled
				.computeIfAbsent(key(record.topic(), record.partition(), record.offset()), (key) -> new AtomicInteger())
				.incrementAndGet();
			Integer entryTenure = this.tenureAtEntry.remove(key(record.topic(), record.partition(), record.offset()));
			int tenure = this.tenureByPartition.getOrDefault(record.partition(), -1);
			if (entryTenure != null && entryTenure != tenure && !this.lostTenures.contains(entryTenure)) {
				this.violations.add(record.topic() + "-" + record.partition() + "@" + record.offset()
						+ " completed after its partition was revoked (tenure " + entryTenure + ", now " + tenure
						+ ")");
			}
			Set<Long> completed = this.epochCompleted.get(record.partition());
			if (completed != null) {
				completed.add(record.offset());
			}
		}
		this.active.decrementAndGet();
	}

	/**
	 * Return the breaches seen so far.
	 * @return the violations
	 */
	public List<String> violations() {
		synchronized (this.violations) {
			return List.copyOf(this.violations);
		}
	}

	/**
	 * Return the most calls that ran at once.
	 * @return the peak concurrency
	 */
	public int maxActive() {
		return this.maxActive.get();
	}

	/**
	 * Return the number of handler calls.
	 * @return the calls
	 */
	public int calls() {
		return this.calls.get();
	}

	/**
	 * Return how many distinct records were handled.
	 * @return the count
	 */
	public int distinctHandled() {
		return this.handled.size();
	}

	/**
	 * Return how many times a record was handled.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @return the count
	 */
	public int timesHandled(TopicPartition partition, long offset) {
		AtomicInteger count = this.handled.get(key(partition.topic(), partition.partition(), offset));
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Return how many handlings were repeats of a record handled before.
	 * @return the number of duplicates
	 */
	public int duplicates() {
		return this.handled.values().stream().mapToInt((count) -> count.get() - 1).sum();
	}

	private Object exclusiveLane(ConsumerRecord<?, ?> record) {
		return switch (this.mode) {
			case SERIAL -> "worker";
			case PARTITION -> record.partition();
			case KEY -> List.of(record.partition(), Objects.toString(record.key()));
			default -> null;
		};
	}

	private Object orderLane(ConsumerRecord<?, ?> record) {
		return switch (this.mode) {
			case SERIAL, PARTITION -> record.partition();
			case KEY -> List.of(record.partition(), Objects.toString(record.key()));
			default -> null;
		};
	}

	private static int partitionOf(Object orderLane) {
		return (orderLane instanceof List<?> lane) ? (Integer) lane.get(0) : (Integer) orderLane;
	}

	private static String key(String topic, int partition, long offset) {
		return topic + "-" + partition + "@" + offset;
	}

}
