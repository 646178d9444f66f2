package io.kafkaworker.transaction;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Sends records inside the Kafka transaction of the records being handled. Inject it and
 * call it from a handler of a worker with {@code delivery = EXACTLY_ONCE}: what it sends
 * becomes visible to read_committed consumers together with the commit of the input
 * records' offsets, or never, if the transaction aborts.
 *
 * <p>
 * Safe from any lane thread. Calling it outside such a handler throws
 * {@link IllegalStateException}. Keys and values are serialized by the serializers of
 * {@code spring.kafka.producer.*}.
 */
public interface TransactionalSender {

	/**
	 * Send a record in the current transaction.
	 * @param record the record
	 * @return completes when the broker acknowledged the write (the record becomes
	 * visible only when the transaction commits)
	 * @throws IllegalStateException if called outside a transactional handler, or after
	 * its transaction ended
	 */
	CompletableFuture<RecordMetadata> send(ProducerRecord<?, ?> record);

	/**
	 * Send a record in the current transaction.
	 * @param topic the topic
	 * @param key the key, or null
	 * @param value the value, or null for a tombstone
	 * @return completes when the broker acknowledged the write
	 * @throws IllegalStateException if called outside a transactional handler, or after
	 * its transaction ended
	 */
	default CompletableFuture<RecordMetadata> send(String topic, @Nullable Object key, @Nullable Object value) {
		return send(new ProducerRecord<>(topic, key, value));
	}

}
