package io.kafkaworker.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Holds the first handling of one record (partition and offset) until the test releases
 * it, and counts how often every record was handled. Shared by the application contexts
 * of one test, so that a record handled again by another instance is counted too.
 * Problems on the handler's thread are collected as violations for the test to assert,
 * never thrown into the worker, where they would become retries. Closing it releases the
 * held record, so that a failed test does not leave its contexts waiting for it.
 */
public final class Hold implements AutoCloseable {

	private static final Duration LONGEST_HOLD = Duration.ofMinutes(2);

	private final int partition;

	private final long offset;

	private final AtomicBoolean held = new AtomicBoolean();

	private final CountDownLatch reached = new CountDownLatch(1);

	private final CountDownLatch released = new CountDownLatch(1);

	private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

	private final Map<Integer, AtomicInteger> handledByPartition = new ConcurrentHashMap<>();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	/**
	 * Create a hold.
	 * @param partition the partition of the record to hold
	 * @param offset the offset of the record to hold
	 */
	public Hold(int partition, long offset) {
		this.partition = partition;
		this.offset = offset;
	}

	/**
	 * Handle a record: hold it if it is the held record's first handling, then count it.
	 * @param record the record
	 */
	public void handle(ConsumerRecord<?, ?> record) {
		if (record.partition() == this.partition && record.offset() == this.offset
				&& this.held.compareAndSet(false, true)) {
			this.reached.countDown();
			try {
				if (!this.released.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
					this.violations.add("the held record was not released within " + LONGEST_HOLD);
				}
			}
			catch (InterruptedException ex) {
				this.violations.add("the handler of the held record was interrupted");
				Thread.currentThread().interrupt();
			}
		}
		this.handled.computeIfAbsent(record.partition() + "@" + record.offset(), (key) -> new AtomicInteger())
			.incrementAndGet();
		this.handledByPartition.computeIfAbsent(record.partition(), (key) -> new AtomicInteger()).incrementAndGet();
	}

	/**
	 * Return whether the held record reached its handler.
	 * @return true once it did
	 */
	public boolean reached() {
		return this.reached.getCount() == 0;
	}

	/**
	 * Let the held record's handler return.
	 */
	public void release() {
		this.released.countDown();
	}

	@Override
	public void close() {
		release();
	}

	/**
	 * Return how often a record was handled (the held record counts when released).
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @return the count
	 */
	public int timesHandled(int partition, long offset) {
		AtomicInteger count = this.handled.get(partition + "@" + offset);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Return how many handlings of a partition's records ended, repeats included.
	 * @param partition the partition
	 * @return the count
	 */
	public int handled(int partition) {
		AtomicInteger count = this.handledByPartition.get(partition);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Return how many handlings were repeats of a record handled before.
	 * @return the number of duplicates
	 */
	public int duplicates() {
		return this.handled.values().stream().mapToInt((count) -> count.get() - 1).sum();
	}

	/**
	 * Return the problems seen on handler threads.
	 * @return the violations
	 */
	public List<String> violations() {
		synchronized (this.violations) {
			return List.copyOf(this.violations);
		}
	}

}
