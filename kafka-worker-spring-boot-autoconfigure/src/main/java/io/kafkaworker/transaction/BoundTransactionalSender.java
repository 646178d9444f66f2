package io.kafkaworker.transaction;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The {@link TransactionalSender} bean: sends through the transaction bound to the
 * calling thread by the worker that runs the handler.
 */
public final class BoundTransactionalSender implements TransactionalSender {

	@Override
	public CompletableFuture<RecordMetadata> send(ProducerRecord<?, ?> record) {
		KafkaTransaction transaction = TransactionBinding.current();
		if (transaction == null) {
			throw new IllegalStateException("TransactionalSender.send was called outside the handler of a worker with "
					+ "delivery EXACTLY_ONCE and exactly-once.store KAFKA; use a KafkaTemplate elsewhere");
		}
		return transaction.send(record);
	}

}
