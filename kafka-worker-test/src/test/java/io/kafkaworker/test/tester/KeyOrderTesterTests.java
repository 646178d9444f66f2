package io.kafkaworker.test.tester;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.test.KafkaWorkerTester;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tester without Spring: handler objects, the real engine, an in-memory Kafka. The
 * order the tester reports is the order the handlers ran: KEY mode keeps each key's
 * records in order, and PARALLEL mode, which does not, shows up as disorder.
 */
class KeyOrderTesterTests {

	private static final int RECORDS = 400;

	private static final int KEYS = 12;

	@Test
	void keyModeHandlesEachKeysRecordsInOrderAndCommitsEverything() {
		long seed = System.nanoTime();
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(new SlowHandler(seed))
			.topic("orders", 4)
			.property("kafka.worker.workers.key-orders.concurrency", 8)
			.start()) {
			Map<Object, List<Object>> sent = send(tester, seed);
			tester.runUntilIdle();
			assertThat(tester.handledValuesByKey("key-orders")).as("seed %d", seed).isEqualTo(sent);
			Map<Integer, Long> ends = new LinkedHashMap<>();
			tester.records("orders").forEach((record) -> ends.merge(record.partition(), 1L, Long::sum));
			ends.forEach((partition, end) -> assertThat(tester.committed("key-orders", "orders", partition))
				.as("partition %d", partition)
				.isEqualTo(end));
		}
	}

	@Test
	void parallelModeIsSeenOutOfOrder() {
		long seed = System.nanoTime();
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(new SlowHandler(seed))
			.topic("orders", 4)
			.property("kafka.worker.workers.key-orders.mode", "PARALLEL")
			.property("kafka.worker.workers.key-orders.concurrency", 8)
			.start()) {
			Map<Object, List<Object>> sent = send(tester, seed);
			tester.runUntilIdle();
			Map<Object, List<Object>> handled = tester.handledValuesByKey("key-orders");
			assertThat(handled.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
			assertThat(handled).as("PARALLEL runs a key's records at once, so some key is out of order (seed %d)", seed)
				.isNotEqualTo(sent);
			assertThat(tester.handled("key-orders")).hasSize(RECORDS);
		}
	}

	private static Map<Object, List<Object>> send(KafkaWorkerTester tester, long seed) {
		Random random = new Random(seed);
		Map<Object, List<Object>> sent = new LinkedHashMap<>();
		for (int i = 0; i < RECORDS; i++) {
			String key = "key-" + random.nextInt(KEYS);
			tester.send("orders", key, "order-" + i);
			sent.computeIfAbsent(key, (k) -> new ArrayList<>()).add("order-" + i);
		}
		return sent;
	}

	public static class SlowHandler {

		private final Random random;

		SlowHandler(long seed) {
			this.random = new Random(seed);
		}

		@KafkaBatchWorker(id = "key-orders", topics = "orders", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) {
			int micros;
			synchronized (this.random) {
				micros = this.random.nextInt(300);
			}
			LockSupport.parkNanos(micros * 1000L);
		}

	}

}
