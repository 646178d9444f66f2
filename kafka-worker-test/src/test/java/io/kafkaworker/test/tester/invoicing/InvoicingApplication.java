package io.kafkaworker.test.tester.invoicing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * An exactly-once worker that turns orders into invoices through the transactional
 * sender, and fails once, after sending, for the orders it is told to.
 */
@SpringBootApplication
public class InvoicingApplication {

	@Component
	public static class Invoicing {

		final Set<String> failOnce = ConcurrentHashMap.newKeySet();

		private final TransactionalSender sender;

		Invoicing(TransactionalSender sender) {
			this.sender = sender;
		}

		@KafkaBatchWorker(id = "invoicing", topics = "orders", mode = Mode.KEY, delivery = Delivery.EXACTLY_ONCE)
		public void handle(ConsumerRecord<String, String> order) {
			this.sender.send("invoices", order.key(), "invoice for " + order.value());
			if (this.failOnce.remove(order.value())) {
				throw new IllegalStateException("Failed after sending the invoice for " + order.value());
			}
		}

	}

}
