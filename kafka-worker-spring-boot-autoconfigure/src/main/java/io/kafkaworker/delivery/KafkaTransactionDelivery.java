package io.kafkaworker.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.transaction.KafkaTransaction;
import io.kafkaworker.transaction.TransactionBinding;
import io.kafkaworker.transaction.TransactionalIds;
import io.kafkaworker.transaction.TransactionalProducers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Exactly-once delivery with Kafka transactions: each consumer runs its records in
 * transactional units ({@link TransactionalUnits}) whose outputs and input offsets commit
 * together (invariant 11). A failed record is never retried in place: its unit aborts and
 * runs again from its first records.
 */
final class KafkaTransactionDelivery implements DeliveryGuarantee {

	private static final Log logger = LogFactory.getLog(KafkaTransactionDelivery.class);

	private static final int MAX_DEAD_LETTER_DEFERRALS = 10;

	private final DeliveryContext context;

	private final TransactionalIds ids;

	private final TransactionalProducers producers;

	private final DeliveryGuarantees.CommitterFactory committers;

	/** Which consumer's transactions a partition's records belong to, for the lanes. */
	private final Map<PartitionOffsets, TransactionalUnits> routing = new ConcurrentHashMap<>();

	// The committer of each consumer records its transaction commits for the read model
	// and metrics.
	KafkaTransactionDelivery(DeliveryContext context, TransactionalProducers producers,
			DeliveryGuarantees.CommitterFactory committers) {
		this.context = context;
		this.producers = producers;
		this.ids = new TransactionalIds(producers.prefix(), context.workerId());
		this.committers = committers;
	}

	/**
	 * Return a template that sends into the transaction bound to the calling lane thread:
	 * the dead letters of an exactly-once worker belong to the transaction of the record
	 * they replace.
	 * @return the template
	 */
	static KafkaOperations<Object, Object> deadLetterTemplate() {
		ProducerFactory<Object, Object> boundTransaction = () -> Objects
			.requireNonNull(TransactionBinding.current(), "no transaction is bound to this thread")
			.sendingView();
		return new KafkaTemplate<>(boundTransaction);
	}

	@Override
	public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
		int slot = this.ids.acquire();
		KafkaTransaction transaction = new KafkaTransaction(this.ids.idOf(slot), this.producers.factory());
		return new TransactionalUnits(this.context, this.routing, transaction, () -> this.ids.release(slot), consumer,
				rewind, wakeUp, this.committers.create());
	}

	// The call runs with its consumer's transaction bound to the thread, so the handler's
	// sends join it. Records whose retries were exhausted in earlier, aborted runs get
	// the failure policy instead of the handler: skipped, or dead-lettered inside the
	// transaction.
	@Override
	public CallOutcome call(List<WorkItem> items, Call call) {
		TransactionalUnits units = this.routing.get(items.get(0).partition());
		if (units == null || items.get(0).partition().isRevoked()) {
			return CallOutcome.DONE;
		}
		FailureActions actions = this.context.actions();
		List<WorkItem> toHandle = new ArrayList<>(items.size());
		try (TransactionBinding.Scope binding = TransactionBinding.bind(units.transaction())) {
			for (WorkItem item : items) {
				RecordAttempts.Failure failure = units.attempts().exhaustedOnLane(item);
				if (failure == null) {
					toHandle.add(item);
					continue;
				}
				call.describe(List.of(item));
				if (failure.exhaustedPolicy == FailurePolicy.SKIP) {
					actions.skip(List.of(item), failure.last, failure.attempts);
				}
				else if (!deadLetter(item, failure, units, actions)) {
					return CallOutcome.HALT;
				}
			}
			return toHandle.isEmpty() ? CallOutcome.DONE : call.run(toHandle);
		}
		finally {
			units.afterCall();
		}
	}

	// The dead letter joins the call's transaction. If that transaction ended while it
	// was sent (another call of its unit failed, or a revocation aborted it), the record
	// runs again in the next unit and is dead-lettered there: freezing it would stall the
	// partition, under a policy that needs no operator, for a passing reason. Any other
	// failure to publish freezes the partition at the record, so nothing is lost.
	private boolean deadLetter(WorkItem item, RecordAttempts.Failure failure, TransactionalUnits units,
			FailureActions actions) {
		List<WorkItem> records = List.of(item);
		try {
			actions.publishDeadLetters(records, failure.last, failure.attempts);
		}
		catch (RuntimeException ex) {
			// Bounded: a dead letter that outlasts its unit every time (say, the topic's
			// metadata blocking while partitions move) freezes in the end like any other.
			if (TransactionBinding.hasEnded() && ++failure.deadLettersDeferred < MAX_DEAD_LETTER_DEFERRALS) {
				logger.info("Worker '" + this.context.workerId() + "' did not dead-letter " + item
						+ ": its transaction ended meanwhile; it is dead-lettered when the record runs again");
				return false;
			}
			logger.error("Worker '" + this.context.workerId() + "' could not publish " + item
					+ " to the dead-letter topic; freezing its partition at it so nothing is lost", ex);
			failure.exhaustedPolicy = FailurePolicy.FREEZE;
			units.fail(records, failure.last);
			return false;
		}
		actions.deadLettered(records, failure.last, failure.attempts);
		return true;
	}

	// No retry in place: the sends of this attempt are in the transaction, which must
	// abort; the records run again in a new one.
	@Override
	public CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
		TransactionalUnits units = this.routing.get(items.get(0).partition());
		if (units != null) {
			units.fail(items, failure);
		}
		return CallOutcome.HALT;
	}

	@Override
	public boolean drainsAllFetched() {
		// A transaction commits only once all of its records finished.
		return true;
	}

}
