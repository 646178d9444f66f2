package io.kafkaworker.test;

import java.util.stream.IntStream;

import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.example.OrderHandler;
import io.kafkaworker.test.example.OrdersApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectedKafkaWorkerTest} against the Kafka the application connects to, here
 * through {@code spring.kafka.bootstrap-servers} (a {@code @ServiceConnection} container
 * does the same through Spring Boot's connection details): the support's clients go
 * there, and the declared topic exists before the worker starts.
 */
@SpringBootTest(classes = OrdersApplication.class,
		properties = { "app.orders-topic=connected-orders", "kafka.worker.workers.orders.group-id=connected-orders",
				"spring.kafka.consumer.auto-offset-reset=earliest" })
@ConnectedKafkaWorkerTest(topics = @Topic(name = "connected-orders", partitions = 2))
class ConnectedKafkaWorkerTestTests {

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedBroker.get().bootstrapServers());
	}

	@Autowired
	OrderHandler handler;

	@Test
	void sendsToAndWaitsOnTheApplicationsKafka(KafkaWorkerTestSupport kafka) throws Exception {
		assertThat(kafka.bootstrapServers()).isEqualTo(SharedBroker.get().bootstrapServers());
		assertThat(SharedBroker.get().clients().partitionCountOrThrow("connected-orders")).isEqualTo(2);
		kafka.awaitAssigned("orders");
		IntStream.range(0, 10).forEach((i) -> kafka.send("connected-orders", "customer-" + (i % 3), "order-" + i));
		kafka.awaitCommitted("connected-orders", "connected-orders");
		assertThat(this.handler.handled()).hasSize(10);
	}

}
