package io.kafkaworker.samples.partition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Applies ledger entries to account balances, in order per partition.
 */
@Component
public class LedgerWorker {

	private final Map<String, Long> balances = new ConcurrentHashMap<>();

	private final DemoStore store;

	LedgerWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Apply one entry. In PARTITION mode each partition is a lane: its records come one
	 * call at a time, in offset order, while the other partitions' lanes run at the same
	 * time on other threads. The offset of a partition is committed once every record
	 * before it is done, whatever the other partitions are doing.
	 * @param entry the record: an account and an amount
	 * @throws InterruptedException if the worker stops during the call
	 */
	@KafkaBatchWorker(id = "ledger", topics = PartitionConcurrentApplication.TOPIC, mode = Mode.PARTITION)
	public void apply(ConsumerRecord<String, String> entry) throws InterruptedException {
		// Stands for a call to a database or a remote service.
		this.store.save(entry);
		this.balances.merge(entry.key(), Long.parseLong(entry.value()), Long::sum);
	}

	/**
	 * Return the balance of an account.
	 * @param account the account
	 * @return the sum of its entries so far
	 */
	long balance(String account) {
		return this.balances.getOrDefault(account, 0L);
	}

}
