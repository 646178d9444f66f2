package io.kafkaworker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FreezeHold;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The failed attempts of one consumer's records across the re-runs of its transactional
 * units, and the failure policy that applies to a record once its retries are exhausted.
 * A unit that fails aborts, so a record's attempts cannot be counted in place: they are
 * kept here by partition and offset until the record's offset is committed or its
 * partition leaves the consumer. Written on the consumer thread and by operators, read by
 * lane threads.
 */
final class RecordAttempts {

	private static final Log logger = LogFactory.getLog(RecordAttempts.class);

	private final String workerId;

	private final Map<RecordId, Failure> failures = new ConcurrentHashMap<>();

	RecordAttempts(String workerId) {
		this.workerId = workerId;
	}

	/**
	 * After a failed call aborted its unit: count an attempt for each of the call's
	 * records and decide by the worker's retry policy and failure policy what happens
	 * when they run again.
	 * @param items the failed call's records
	 * @param failure the failure
	 * @param retry the worker's retry policy
	 * @param actions the worker's failure policy
	 * @return the wait before the unit's records run again, or null if their retries are
	 * exhausted: the failure policy then applies (STOP at once, the others when the
	 * records come round)
	 */
	@Nullable Duration afterAbort(List<WorkItem> items, Throwable failure, WorkerRetryPolicy retry, FailureActions actions) {
		int attempts = failed(items, failure);
		Duration wait = retry.shouldRetry(failure, attempts) ? retry.waitAfter(attempts) : null;
		if (wait != null) {
			actions.retrying(items);
			if (logger.isDebugEnabled()) {
				logger.debug("Worker '" + this.workerId + "' aborted a transaction: attempt " + attempts + " of "
						+ retry.maxAttempts() + " for " + items + " failed (" + failure + "); running again in "
						+ wait.toMillis() + " ms");
			}
			return wait;
		}
		FailurePolicy policy = actions.exhausted(items, failure, attempts);
		exhausted(items, policy);
		logger.warn("Worker '" + this.workerId + "' aborted a transaction: " + items + " failed after " + attempts
				+ " attempts (" + failure + "); on-failure " + policy + " applies when the records run again");
		switch (policy) {
			case STOP -> actions.stop(items, failure, attempts).run();
			case FREEZE -> actions.freezing(items);
			case SKIP, DEAD_LETTER -> {
				// applied on the lane when the records run again
			}
		}
		return null;
	}

	/**
	 * Count a failed attempt of each record of a call.
	 * @param items the call's records
	 * @param failure the failure
	 * @return the most attempts any of the records had
	 */
	private int failed(List<WorkItem> items, Throwable failure) {
		int attempts = 0;
		for (WorkItem item : items) {
			Failure entry = of(item.record());
			entry.attempts++;
			entry.last = failure;
			attempts = Math.max(attempts, entry.attempts);
		}
		return attempts;
	}

	/**
	 * Note that the records' retries are exhausted: the policy applies when they run
	 * again. A record whose dead letter could not be published keeps FREEZE, or it would
	 * go back to dead-lettering forever.
	 * @param items the records
	 * @param policy the failure policy
	 */
	private void exhausted(List<WorkItem> items, FailurePolicy policy) {
		for (WorkItem item : items) {
			Failure entry = of(item.record());
			if (entry.exhaustedPolicy != FailurePolicy.FREEZE) {
				entry.exhaustedPolicy = policy;
			}
		}
	}

	/**
	 * Return the failure of a record whose retries are exhausted under a policy applied
	 * on the lane instead of calling the handler (SKIP or DEAD_LETTER).
	 * @param item the record
	 * @return the failure, or null to call the handler
	 */
	@Nullable Failure exhaustedOnLane(WorkItem item) {
		Failure failure = this.failures.get(RecordId.of(item.record()));
		if (failure == null) {
			return null;
		}
		FailurePolicy policy = failure.exhaustedPolicy;
		return (policy == FailurePolicy.SKIP || policy == FailurePolicy.DEAD_LETTER) ? failure : null;
	}

	/**
	 * Return the failure of a record whose retries are exhausted under FREEZE, which the
	 * consumer thread applies before dispatching.
	 * @param record the record
	 * @return the failure, or null
	 */
	@Nullable Failure toFreeze(ConsumerRecord<?, ?> record) {
		Failure failure = this.failures.get(RecordId.of(record));
		return (failure != null && failure.exhaustedPolicy == FailurePolicy.FREEZE) ? failure : null;
	}

	/**
	 * Forget the records below a committed offset.
	 * @param partition the partition
	 * @param offset the committed offset
	 */
	void committed(TopicPartition partition, long offset) {
		this.failures.keySet().removeIf((id) -> id.partition.equals(partition) && id.offset < offset);
	}

	/**
	 * Forget the records of a partition that left the consumer.
	 * @param partition the partition
	 */
	void forget(TopicPartition partition) {
		this.failures.keySet().removeIf((id) -> id.partition.equals(partition));
	}

	/**
	 * Return how a frozen record is let go: resumed, it runs again with fresh attempts;
	 * skipped, the next unit completes it (after a dead letter sent in its transaction,
	 * if asked).
	 * @param record the frozen record
	 * @return the hold
	 */
	FreezeHold holdOf(ConsumerRecord<?, ?> record) {
		return new FreezeHold() {

			@Override
			public void release() {
				RecordAttempts.this.failures.remove(RecordId.of(record));
			}

			@Override
			public boolean skip(boolean toDeadLetter) {
				of(record).exhaustedPolicy = toDeadLetter ? FailurePolicy.DEAD_LETTER : FailurePolicy.SKIP;
				return true;
			}

		};
	}

	private Failure of(ConsumerRecord<?, ?> record) {
		return this.failures.computeIfAbsent(RecordId.of(record), (id) -> new Failure());
	}

	private record RecordId(TopicPartition partition, long offset) {

		static RecordId of(ConsumerRecord<?, ?> record) {
			return new RecordId(new TopicPartition(record.topic(), record.partition()), record.offset());
		}

	}

	/**
	 * The failed attempts of one record.
	 */
	static final class Failure {

		final Instant since = Instant.now();

		volatile int attempts;

		volatile Throwable last = new IllegalStateException("skipped by an operator");

		volatile @Nullable FailurePolicy exhaustedPolicy;

		/** Dead letters of the record refused because their transaction ended. */
		volatile int deadLettersDeferred;

	}

}
