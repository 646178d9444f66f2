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
 */
public final class ContractRecorder {

	private final Mode mode;

	private final int concurrency;

	private final boolean strictOrder;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger maxActive = new AtomicInteger();

	private final Map<Object, AtomicInteger> activeByLane = new ConcurrentHashMap<>();

	private final Map<Object, Long> lastOffsetByOrderLane = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

	private final Set<String> entered = ConcurrentHashMap.newKeySet();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger calls = new AtomicInteger();

	/**
	 * Create a recorder.
	 * @param mode the worker's mode
	 * @param concurrency the worker's concurrency
	 * @param strictOrder whether every record a lane handles must have a higher offset
	 * than the one before; false when redeliveries are expected (rebalance), where only
	 * the first delivery of each record must come in offset order
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
			if (orderLane != null && (this.strictOrder || firstDelivery)) {
				Long previous = this.lastOffsetByOrderLane.put(orderLane, record.offset());
				if (previous != null && previous >= record.offset()) {
					this.violations
						.add("lane " + orderLane + " handled offset " + record.offset() + " after " + previous);
				}
			}
		}
		if (lane != null
				&& this.activeByLane.computeIfAbsent(lane, (key) -> new AtomicInteger()).incrementAndGet() > 1) {
			this.violations.add("two calls of exclusive lane " + lane + " at once");
		}
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

	private static String key(String topic, int partition, long offset) {
		return topic + "-" + partition + "@" + offset;
	}

}
