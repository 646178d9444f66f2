package io.kafkaworker.delivery;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.CallOutcome;
import org.apache.kafka.clients.consumer.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The delivery of a reader (no consumer group): nothing is committed, a failed record is
 * retried in place, and with an end the reader stops by itself once it handled every
 * record below it.
 */
final class ReaderDelivery implements DeliveryGuarantee {

	private final String workerId;

	private final boolean stopAtEnd;

	private final ReaderEnd end;

	ReaderDelivery(String workerId, boolean stopAtEnd, ReaderEnd end) {
		this.workerId = workerId;
		this.stopAtEnd = stopAtEnd;
		this.end = end;
	}

	@Override
	public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
		return new ReaderReads(this.workerId, consumer, this.stopAtEnd, this.end);
	}

	@Override
	public @Nullable CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
		return null;
	}

}
