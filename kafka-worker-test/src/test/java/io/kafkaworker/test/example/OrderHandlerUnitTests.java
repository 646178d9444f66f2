package io.kafkaworker.test.example;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.test.InMemoryKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of the README's "Testing your workers" section: the application's
 * {@link OrderHandler}, its configuration, and kafka-worker's engine, over an in-memory
 * Kafka with a clock the test moves.
 */
@SpringBootTest(properties = "app.orders-topic=orders")
@InMemoryKafkaWorkerTest(partitions = 3)
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD) // each test its own Kafka
class OrderHandlerUnitTests {

	@Test
	void handlesEachCustomersOrdersInOrder(KafkaWorkerTester tester) {
		IntStream.range(0, 30).forEach((i) -> tester.send("orders", "customer-" + (i % 5), "order-" + i));

		tester.runUntilIdle();

		assertThat(tester.handledValuesByKey("orders").get("customer-1")).containsExactly("order-1", "order-6",
				"order-11", "order-16", "order-21", "order-26");
		assertThat(tester.committed("orders").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
	}

	@Test
	void freezesAPoisonOrderAfterItsRetriesAndSkipsItToTheDeadLetterTopic(KafkaWorkerTester tester) {
		tester.send("orders", "poison", "order-x");
		tester.runUntilIdle();
		assertThat(tester.attempts("orders")).hasSize(1);
		assertThat(tester.frozen("orders")).isEmpty(); // waiting out the back-off

		// application.yml: 2 attempts, 20 ms apart give or take the jitter (half of it)
		tester.advanceTime(Duration.ofMillis(30));
		List<FrozenRecord> frozen = tester.frozen("orders");
		assertThat(frozen).singleElement().satisfies((record) -> assertThat(record.key()).isEqualTo("poison"));

		tester.skip("orders", frozen.get(0), true);
		assertThat(tester.frozen("orders")).isEmpty();
		assertThat(tester.deadLetters("orders-dlt")).singleElement()
			.satisfies((deadLetter) -> assertThat(deadLetter.value()).isEqualTo("order-x"));
		assertThat(tester.committed("orders", "orders", frozen.get(0).partition())).isEqualTo(1);
	}

}
