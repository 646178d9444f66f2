package io.kafkaworker.samples.parallel;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Sends notifications, as many at once as the worker's concurrency allows.
 */
@Component
public class NotificationWorker {

	private final DemoStore store;

	NotificationWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Send one notification. In PARALLEL mode any records run at once, records of the
	 * same partition and key included, up to {@code concurrency} calls (64 in
	 * {@code application.yml}), and finish in any order. The worker still commits a
	 * partition only up to its first record that is not done, so a crash loses nothing;
	 * it may repeat the records done after that point.
	 * @param notification the record
	 * @throws InterruptedException if the worker stops during the call
	 */
	@KafkaBatchWorker(id = "notifications", topics = ParallelApplication.TOPIC, mode = Mode.PARALLEL, concurrency = 64)
	public void send(ConsumerRecord<String, String> notification) throws InterruptedException {
		// Stands for a call to a mail or push service.
		this.store.save(notification);
	}

}
