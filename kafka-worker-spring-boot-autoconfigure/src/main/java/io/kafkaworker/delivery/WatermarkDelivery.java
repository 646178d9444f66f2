package io.kafkaworker.delivery;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.CallOutcome;
import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * At-least-once delivery (and the database inbox of exactly-once delivery, whose proof
 * lives in the handler's transaction): records are committed by watermark after they
 * finished, and a failed record is retried in place.
 */
final class WatermarkDelivery implements DeliveryGuarantee {

	private final DeliveryContext context;

	private final DeliveryGuarantees.CommitterFactory committers;

	WatermarkDelivery(DeliveryContext context, DeliveryGuarantees.CommitterFactory committers) {
		this.context = context;
		this.committers = committers;
	}

	@Override
	public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
		return new WatermarkCommits(this.context.workerId(), this.context.revocationWait(), consumer,
				this.committers.create());
	}

	@Override
	public @Nullable CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
		return null;
	}

}
