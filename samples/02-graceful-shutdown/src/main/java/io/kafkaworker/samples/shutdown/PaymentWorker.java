package io.kafkaworker.samples.shutdown;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Handles payments one at a time.
 */
@Component
public class PaymentWorker {

	private final DemoStore store;

	PaymentWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Handle one payment. Nothing here knows about shutdown: when the application context
	 * closes, the worker lets this call finish, starts no other, and commits up to this
	 * record before the consumer leaves its group ({@code kafka.worker.shutdown.*}).
	 * @param payment the record
	 * @throws InterruptedException if the shutdown timeout ran out during the call; the
	 * record is then not committed, and handled again after a restart
	 */
	@KafkaBatchWorker(id = "payments", topics = GracefulShutdownApplication.TOPIC, mode = Mode.SERIAL)
	public void handle(ConsumerRecord<String, String> payment) throws InterruptedException {
		// Stands for a call to a database or a payment service.
		this.store.save(payment);
	}

}
