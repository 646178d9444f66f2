package io.kafkaworker.test.tester;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.test.DeadLetter;
import io.kafkaworker.test.KafkaWorkerTester;
import io.kafkaworker.test.KafkaWorkerTester.Attempt;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries, freezes and dead letters through the tester, with time moved by the test: a
 * back-off of minutes ends when the test says so, not after sleeping.
 */
class FailureTesterTests {

	@Test
	void retriesWaitForTheTestersClock() {
		FlakyHandler handler = new FlakyHandler();
		handler.failing.add("order-1");
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(handler)
			.property("kafka.worker.workers.flaky.retry.max-attempts", 3)
			.property("kafka.worker.workers.flaky.retry.backoff.initial", "10m")
			.property("kafka.worker.workers.flaky.retry.backoff.max", "1h")
			.property("kafka.worker.workers.flaky.retry.backoff.jitter", 0)
			.start()) {
			tester.send("orders", "customer", "order-1");
			tester.runUntilIdle();
			assertThat(tester.attempts("flaky")).extracting(Attempt::attempt).containsExactly(1);
			assertThat(tester.committed("flaky", "orders", 0)).isZero();

			tester.advanceTime(Duration.ofMinutes(9));
			assertThat(tester.attempts("flaky")).as("the back-off of 10 minutes has not ended").hasSize(1);

			tester.advanceTime(Duration.ofMinutes(1));
			assertThat(tester.attempts("flaky")).extracting(Attempt::attempt).containsExactly(1, 2);

			handler.failing.clear();
			tester.advanceTime(Duration.ofMinutes(20));
			assertThat(tester.attempts("flaky")).extracting(Attempt::attempt).containsExactly(1, 2, 3);
			assertThat(tester.attempts("flaky").get(2).succeeded()).isTrue();
			assertThat(tester.committed("flaky", "orders", 0)).isEqualTo(1);
		}
	}

	@Test
	void aFrozenPartitionHoldsItsRecordsUntilResumed() {
		FlakyHandler handler = new FlakyHandler();
		handler.failing.add("order-2");
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(handler)
			.property("kafka.worker.workers.flaky.retry.max-attempts", 1)
			.property("kafka.worker.workers.flaky.on-failure", "FREEZE")
			.start()) {
			for (int i = 1; i <= 5; i++) {
				tester.send("orders", "customer", "order-" + i);
			}
			tester.runUntilIdle();
			List<FrozenRecord> frozen = tester.frozen("flaky");
			assertThat(frozen).singleElement().satisfies((record) -> assertThat(record.offset()).isEqualTo(1));
			assertThat(values(tester.handled("flaky"))).containsExactly("order-1");
			assertThat(tester.committed("flaky", "orders", 0)).isEqualTo(1);

			handler.failing.clear();
			tester.resume("flaky", frozen.get(0));
			assertThat(tester.frozen("flaky")).isEmpty();
			assertThat(values(tester.handled("flaky"))).containsExactly("order-1", "order-2", "order-3", "order-4",
					"order-5");
			assertThat(tester.committed("flaky", "orders", 0)).isEqualTo(5);
		}
	}

	@Test
	void aFrozenRecordIsRetriedAfterTheDelayOnTheTestersClock() {
		FlakyHandler handler = new FlakyHandler();
		handler.failing.add("order-1");
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(handler)
			.property("kafka.worker.workers.flaky.retry.max-attempts", 1)
			.property("kafka.worker.workers.flaky.freeze.retry-after", "1h")
			.start()) {
			tester.send("orders", "customer", "order-1");
			tester.runUntilIdle();
			assertThat(tester.frozen("flaky")).hasSize(1);
			handler.failing.clear();
			tester.advanceTime(Duration.ofMinutes(59));
			assertThat(tester.frozen("flaky")).hasSize(1);
			tester.advanceTime(Duration.ofMinutes(1));
			assertThat(tester.frozen("flaky")).isEmpty();
			assertThat(values(tester.handled("flaky"))).containsExactly("order-1");
			assertThat(tester.committed("flaky", "orders", 0)).isEqualTo(1);
		}
	}

	@Test
	void exhaustedRecordsGoToTheDeadLetterTopicWithTheirOrigin() {
		FlakyHandler handler = new FlakyHandler();
		handler.failing.add("order-2");
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(handler)
			.property("kafka.worker.workers.flaky.retry.max-attempts", 2)
			.property("kafka.worker.workers.flaky.retry.backoff.initial", "1s")
			.property("kafka.worker.workers.flaky.on-failure", "DEAD_LETTER")
			.start()) {
			for (int i = 1; i <= 3; i++) {
				tester.send("orders", "customer", "order-" + i);
			}
			tester.runUntilIdle().advanceTime(Duration.ofSeconds(2));
			List<DeadLetter> deadLetters = tester.deadLetters("orders-dlt");
			assertThat(deadLetters).singleElement().satisfies((deadLetter) -> {
				assertThat(deadLetter.value()).isEqualTo("order-2");
				assertThat(deadLetter.key()).isEqualTo("customer");
				assertThat(deadLetter.originalTopic()).isEqualTo("orders");
				assertThat(deadLetter.originalOffset()).isEqualTo(1);
				assertThat(deadLetter.deliveryAttempts()).isEqualTo(2);
				assertThat(deadLetter.exceptionMessage()).contains("Cannot handle order-2");
			});
			assertThat(values(tester.handled("flaky"))).containsExactly("order-1", "order-3");
			assertThat(tester.committed("flaky", "orders", 0)).isEqualTo(3);
		}
	}

	private static List<Object> values(List<ConsumerRecord<?, ?>> records) {
		return records.stream().<Object>map(ConsumerRecord::value).toList();
	}

	public static class FlakyHandler {

		final Set<String> failing = ConcurrentHashMap.newKeySet();

		@KafkaBatchWorker(id = "flaky", topics = "orders", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) {
			if (this.failing.contains(record.value())) {
				throw new IllegalStateException("Cannot handle " + record.value());
			}
		}

	}

}
