package io.kafkaworker.delivery;

import java.util.List;
import java.util.Map;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.CallOutcome;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A worker's delivery guarantee, chosen once when the worker is built: the consumer
 * sessions and the lane threads never ask which one it is. It opens the commit protocol
 * of each consumer and, on the lane threads, says how a failed record runs again: in
 * place with the retry policy ({@link WatermarkDelivery}), never
 * ({@link AtMostOnceDelivery}), or by aborting and rewinding its transaction
 * ({@link KafkaTransactionDelivery}). What happens once a record's retries are exhausted
 * is the worker's failure policy, the same for every guarantee.
 */
public interface DeliveryGuarantee {

	/**
	 * Open the commit protocol of one consumer, when its session starts.
	 * @param consumer the consumer, used on its own thread only
	 * @param rewind goes back to given offsets, dropping what was fetched after them
	 * @param wakeUp for lane threads: brings the consumer thread back from its poll now
	 * if it is in one, else before its next poll ends its timeout (never interrupting
	 * another consumer call, such as one in the application's rebalance listener)
	 * @return the protocol
	 */
	CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp);

	/**
	 * Run a handler call on the lane thread, within what the guarantee needs around it (a
	 * transaction bound to the thread, for example).
	 * @param items the call's records
	 * @param call runs the handler for the records given, with retries and the failure
	 * policy
	 * @return what the lane does next
	 */
	default CallOutcome call(List<WorkItem> items, Call call) {
		return call.run(items);
	}

	/**
	 * Decide what follows a failed attempt of a handler call whose partition is still
	 * assigned, on the lane thread.
	 * @param items the records of the attempt
	 * @param failure the failure
	 * @return the call's outcome, or null to retry in place by the retry policy and then
	 * apply the failure policy
	 */
	@Nullable CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure);

	/**
	 * Return whether a graceful shutdown must finish every fetched record: true when
	 * fetched records are committed already (at-most-once) or when a commit covers all of
	 * them (a transaction).
	 * @return whether the drain mode is always {@code ALL}
	 */
	default boolean drainsAllFetched() {
		return false;
	}

	/**
	 * Runs the handler for a call's records.
	 */
	interface Call {

		/**
		 * Run the handler.
		 * @param items the records
		 * @return what the lane does next
		 */
		CallOutcome run(List<WorkItem> items);

		/**
		 * Name records in the lane thread's log context, for what a guarantee does with
		 * them outside the handler (the failure policy of records whose retries ran out
		 * in an earlier, aborted transaction), so that its log lines carry them and not
		 * the thread's previous call's.
		 * @param items the records
		 */
		void describe(List<WorkItem> items);

	}

	/**
	 * Goes back to the given offsets of a consumer's partitions, dropping what was
	 * fetched and tracked after them: implemented by the consumer's session.
	 */
	@FunctionalInterface
	interface Rewind {

		/**
		 * Go back.
		 * @param firstOffsets the offset to fetch next, by partition
		 */
		void rewind(Map<TopicPartition, Long> firstOffsets);

	}

}
