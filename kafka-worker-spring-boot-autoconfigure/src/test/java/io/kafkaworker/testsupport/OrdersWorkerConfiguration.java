package io.kafkaworker.testsupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration tests' simplest application: one worker, id {@code orders},
 * consuming topic {@code orders} with a handler that does nothing.
 */
@Configuration(proxyBeanMethods = false)
public class OrdersWorkerConfiguration {

	@Bean
	OrdersWorker ordersWorker() {
		return new OrdersWorker();
	}

	/**
	 * The worker.
	 */
	public static class OrdersWorker {

		/**
		 * Handle one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "orders", topics = "orders")
		public void handle(ConsumerRecord<String, String> record) {
		}

	}

}
