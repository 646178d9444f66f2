package io.kafkaworker.samples.serial;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Handles sensor readings one at a time.
 */
@Component
public class ReadingWorker {

	/**
	 * Readings whose value starts with this cannot be parsed.
	 */
	static final String MALFORMED = "malformed:";

	private final DemoStore store;

	ReadingWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Handle one reading. In SERIAL mode the worker makes one call at a time, in poll
	 * order, across all its partitions: the order of kafka-go-worker's first example, and
	 * its speed. Throwing makes the record fail; with {@code on-failure: SKIP} the worker
	 * logs it at ERROR, with its topic, partition, offset and key, and commits past it.
	 * @param reading the record
	 * @throws InterruptedException if the worker stops during the call
	 * @throws IllegalArgumentException if the reading is malformed
	 */
	@KafkaBatchWorker(id = "readings", topics = SerialApplication.TOPIC, mode = Mode.SERIAL)
	public void handle(ConsumerRecord<String, String> reading) throws InterruptedException {
		if (reading.value() == null || reading.value().startsWith(MALFORMED)) {
			throw new IllegalArgumentException(
					"Cannot parse reading '" + reading.value() + "' of sensor " + reading.key());
		}
		// Stands for a call to a database or a remote service.
		this.store.save(reading);
	}

}
