package io.kafkaworker.state;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.kafkaworker.transaction.KafkaTransaction;
import io.kafkaworker.transaction.TransactionBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

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
	 * @return null when the write is settled once this returns, or the table's
	 * acknowledgment, which the record being handled must wait for before it completes
	 * @throws Exception if the table did not take the write; the local store is then
	 * unchanged
	 */
	@Nullable CompletableFuture<?> write(ProducerRecord<byte[], byte[]> record, Runnable apply, Runnable undo) throws Exception;

	/**
	 * AT_LEAST_ONCE: send the write and change the local store at once, so that the key's
	 * next record, which may run before the acknowledgment, reads the change; the record
	 * being handled completes only on the table's acknowledgment, so no commit passes a
	 * record whose change is not in the table. Nothing waits on the handler's thread: a
	 * lane goes on with its next record while the write travels (waiting cost a produce
	 * round trip per record, half the throughput at 10 ms of work in benchmark P7).
	 * @param template sends the table records (serializers pass bytes through)
	 * @return the writes
	 */
	static TableWrites acknowledged(KafkaOperations<Object, Object> template) {
		return (record, apply, undo) -> {
			@SuppressWarnings("unchecked")
			ProducerRecord<Object, Object> bytes = (ProducerRecord<Object, Object>) (ProducerRecord<?, ?>) record;
			CompletableFuture<?> sent = template.isTransactional()
					? template.executeInTransaction((operations) -> operations.send(bytes)) : template.send(bytes);
			apply.run();
			return Objects.requireNonNull(sent, "no send result");
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
						"A group table of an exactly-once worker was written outside the worker's transaction");
			}
			transaction.send(record, apply, undo);
			return null;
		};
	}

}
