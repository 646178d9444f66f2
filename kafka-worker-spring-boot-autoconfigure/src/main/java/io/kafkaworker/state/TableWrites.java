package io.kafkaworker.state;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kafkaworker.transaction.KafkaTransaction;
import io.kafkaworker.transaction.TransactionBinding;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.kafka.core.KafkaOperations;

/**
 * How a row's change reaches the table topic and the local store, chosen once per worker
 * by its delivery guarantee.
 */
public interface TableWrites {

	/**
	 * Write a change: the record to the table topic, and the local change.
	 * @param record the table record (a null value deletes the row)
	 * @param apply the change to the local store
	 * @param undo restores the local store as it was
	 * @throws Exception if the table did not take the write; the local store is then
	 * unchanged
	 */
	void write(ProducerRecord<byte[], byte[]> record, Runnable apply, Runnable undo) throws Exception;

	/**
	 * AT_LEAST_ONCE: wait for the table's acknowledgment before the local change, and so
	 * before the record completes: no commit passes a record whose change is not in the
	 * table.
	 * @param template sends the table records (serializers pass bytes through)
	 * @param timeout the longest wait for an acknowledgment
	 * @return the writes
	 */
	static TableWrites acknowledged(KafkaOperations<Object, Object> template, Duration timeout) {
		return (record, apply, undo) -> {
			@SuppressWarnings("unchecked")
			ProducerRecord<Object, Object> bytes = (ProducerRecord<Object, Object>) (ProducerRecord<?, ?>) record;
			try {
				CompletableFuture<?> sent = template.isTransactional()
						? template.executeInTransaction((operations) -> operations.send(bytes)) : template.send(bytes);
				Objects.requireNonNull(sent, "no send result").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
			catch (TimeoutException ex) {
				throw new TimeoutException(
						"The group table '" + record.topic() + "' did not acknowledge a write within " + timeout);
			}
			apply.run();
		};
	}

	/**
	 * EXACTLY_ONCE: the write joins the transaction of the records being handled, with
	 * their outputs and offsets; the local change is undone if that transaction aborts.
	 * @return the writes
	 */
	static TableWrites transactional() {
		return (record, apply, undo) -> {
			KafkaTransaction transaction = TransactionBinding.current();
			if (transaction == null) {
				throw new IllegalStateException(
						"A group table of an exactly-once worker was written outside the " + "worker's transaction");
			}
			transaction.send(record, apply, undo);
		};
	}

}
