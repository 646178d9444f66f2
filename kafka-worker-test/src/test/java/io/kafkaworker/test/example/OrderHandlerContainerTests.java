package io.kafkaworker.test.example;

import java.util.stream.IntStream;

import io.kafkaworker.test.ConnectedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.EnabledIfDockerAvailable;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers example of the README's "Testing your workers" section: the same
 * test as {@link OrderHandlerTests}, against Apache Kafka in a container. Skipped, with
 * the reason, where there is no Docker engine.
 */
@EnabledIfDockerAvailable
@Testcontainers
@SpringBootTest(properties = { "app.orders-topic=orders", "kafka.worker.workers.orders.group-id=orders",
		"spring.kafka.consumer.auto-offset-reset=earliest" })
@ConnectedKafkaWorkerTest(topics = @Topic(name = "orders", partitions = 3))
class OrderHandlerContainerTests {

	@Container
	@ServiceConnection
	static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.1");

	@Autowired
	OrderHandler handler;

	@Test
	void handlesEveryOrder(KafkaWorkerTestSupport kafka) {
		kafka.awaitAssigned("orders");
		IntStream.range(0, 30).forEach((i) -> kafka.send("orders", "customer-" + (i % 5), "order-" + i));
		kafka.awaitCommitted("orders", "orders");
		assertThat(this.handler.handled()).hasSize(30).contains("order-0", "order-29");
	}

}
