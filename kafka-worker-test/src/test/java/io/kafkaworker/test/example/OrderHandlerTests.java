package io.kafkaworker.test.example;

import java.util.stream.IntStream;

import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of the README's "Testing your workers (broker-backed)" section.
 */
@SpringBootTest(properties = { "app.orders-topic=orders", "kafka.worker.workers.orders.group-id=orders" })
@EmbeddedKafkaWorkerTest(topics = @Topic(name = "orders", partitions = 3))
class OrderHandlerTests {

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
