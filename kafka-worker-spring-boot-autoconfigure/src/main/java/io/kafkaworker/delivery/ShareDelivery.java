package io.kafkaworker.delivery;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.CallOutcome;
import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Delivery through a share group: there are no offsets to commit (the share consumers
 * acknowledge each record on their own threads), a failed record is retried in place
 * while its consumer renews the record's acquisition lock, and every record a call
 * finishes is reported so that its consumer acknowledges it.
 */
final class ShareDelivery implements DeliveryGuarantee {

	private final ShareOutcomes outcomes;

	ShareDelivery(ShareOutcomes outcomes) {
		this.outcomes = outcomes;
	}

	@Override
	public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
		throw new IllegalStateException("A share-group worker has no consumer-group sessions");
	}

	@Override
	public CallOutcome call(List<WorkItem> items, Call call) {
		CallOutcome outcome = call.run(items);
		// Records from the outcome's index on went back to the lane and run again; a call
		// that only ended (DONE) finished all of them.
		int finished = outcome.isPutBack() ? outcome.fromIndex() : items.size();
		if (finished > 0) {
			this.outcomes.finished((finished == items.size()) ? items : items.subList(0, finished));
		}
		return outcome;
	}

	@Override
	public @Nullable CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
		return null;
	}

}
