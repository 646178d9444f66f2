package io.kafkaworker.runtime;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Told what workers do, for metrics and tests: the engine calls it on the thread where
 * things happen, so implementations must be quick and thread-safe. Every method does
 * nothing by default.
 */
public interface WorkerObserver {

	/**
	 * An observer that ignores everything.
	 */
	WorkerObserver NONE = new WorkerObserver() {
	};

	/**
	 * Records reached an outcome.
	 * @param workerId the worker
	 * @param topic the records' topic
	 * @param outcome what happened to them
	 * @param records how many
	 */
	default void recordsHandled(String workerId, String topic, RecordOutcome outcome, int records) {
	}

	/**
	 * A call of the user's method returned or threw.
	 * @param workerId the worker
	 * @param topic the topic of the call's first record
	 * @param records the records the call received
	 * @param duration how long the call took
	 * @param success whether it returned normally
	 */
	default void handlerCalled(String workerId, String topic, int records, Duration duration, boolean success) {
	}

	/**
	 * An attempt of a call of the user's method begins, on the lane thread that runs it.
	 * With {@link #attemptEnded} it shows which records each call received, in the order
	 * the calls of a lane ran (the next call of a lane starts only after the previous one
	 * ended), and how many calls run at a moment. kafka-worker-test's tester uses them.
	 * @param workerId the worker
	 * @param records the records the call receives
	 * @param attempt the attempt, from 1
	 */
	default void attemptStarted(String workerId, List<ConsumerRecord<?, ?>> records, int attempt) {
	}

	/**
	 * An attempt of a call of the user's method returned or threw, before its records
	 * complete or the failure policy applies.
	 * @param workerId the worker
	 * @param records the records the call received
	 * @param attempt the attempt, from 1
	 * @param failure what the method threw, or null when it returned normally
	 */
	default void attemptEnded(String workerId, List<ConsumerRecord<?, ?>> records, int attempt,
			@Nullable Throwable failure) {
	}

	/**
	 * A commit of offsets was attempted.
	 * @param workerId the worker
	 * @param success whether the broker accepted it
	 * @param duration how long it took
	 */
	default void committed(String workerId, boolean success, Duration duration) {
	}

	/**
	 * A worker restored partitions of its group table from the table topic, before their
	 * records ran.
	 * @param workerId the worker
	 * @param partitions how many partitions
	 * @param records how many table records were read
	 * @param duration how long the restore took
	 */
	default void tableRestored(String workerId, int partitions, long records, Duration duration) {
	}

	/**
	 * Partitions changed hands.
	 * @param workerId the worker
	 * @param change assigned, revoked or lost
	 * @param partitions how many partitions
	 */
	default void rebalanced(String workerId, RebalanceChange change, int partitions) {
	}

	/**
	 * A share-group worker acknowledged a record to the broker.
	 * @param workerId the worker
	 * @param topic the record's topic
	 * @param type the acknowledge type: ACCEPT, RELEASE or REJECT
	 * @param deliveryCount the record's delivery, 1 for the first
	 */
	default void shareAcknowledged(String workerId, String topic, String type, int deliveryCount) {
	}

	/**
	 * A share-group worker renewed the acquisition locks of records still running.
	 * @param workerId the worker
	 * @param records how many records
	 */
	default void shareLocksRenewed(String workerId, int records) {
	}

	/**
	 * What happened to records.
	 */
	enum RecordOutcome {

		/**
		 * The handler returned normally.
		 */
		SUCCESS,

		/**
		 * The handler failed for good: the records froze, stopped the worker, or were
		 * dropped under at-most-once.
		 */
		FAILURE,

		/**
		 * An attempt failed and will be retried.
		 */
		RETRY,

		/**
		 * The records failed and were skipped, by policy or by an operator.
		 */
		SKIPPED,

		/**
		 * The records failed and were published to the dead-letter topic.
		 */
		DEAD_LETTERED

	}

	/**
	 * How partitions changed hands.
	 */
	enum RebalanceChange {

		/**
		 * Partitions were assigned to one of the worker's consumers.
		 */
		ASSIGNED,

		/**
		 * Partitions were revoked, after a commit.
		 */
		REVOKED,

		/**
		 * Partitions were lost, without a commit.
		 */
		LOST

	}

}
