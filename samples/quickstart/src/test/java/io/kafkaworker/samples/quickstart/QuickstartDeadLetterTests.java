package io.kafkaworker.samples.quickstart;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quickstart with {@code kafka.worker.workers.orders.on-failure=DEAD_LETTER}: after
 * its three attempts, a {@code fail:} record is published to {@code demo.orders-dlt} with
 * its original key and value and Spring Kafka's dead-letter headers, and its partition
 * goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartDeadLetterTests {

	private static final int RECORDS = 600;

	private static final int KEYS = 30;

	private static final String DEAD_LETTER_TOPIC = QuickstartApplication.ORDERS_TOPIC + "-dlt";

	@Test
	void failedRecordIsDeadLetteredWithItsOriginalOffsetAndProcessingGoesOn(CapturedOutput output) {
		try (RunningQuickstart quickstart = RunningQuickstart.start(
				"--kafka.worker.workers.orders.on-failure=DEAD_LETTER", "--demo.seed=" + RECORDS, "--demo.keys=" + KEYS,
				"--demo.fail=key-7")) {
			ConsumerRecord<String, String> failing = quickstart.findOrder(DemoProperties.FAIL_VALUE);
			Map<Integer, Long> endOffsets = quickstart.endOffsets();
			assertThat(endOffsets.get(failing.partition())).as("records after the failing one")
				.isGreaterThan(failing.offset() + 1);
			// Every partition is committed to its end, the failing record's one included.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(quickstart.committedOffsets()).isEqualTo(endOffsets));

			assertThat(QuickstartOutput.readAll(quickstart.bootstrapServers(), DEAD_LETTER_TOPIC)).singleElement()
				.satisfies((dead) -> {
					assertThat(dead.key()).isEqualTo("key-7");
					assertThat(dead.value()).isEqualTo(DemoProperties.FAIL_VALUE);
					assertThat(ByteBuffer.wrap(header(dead, "kafka_dlt-original-offset")).getLong())
						.isEqualTo(failing.offset());
					assertThat(ByteBuffer.wrap(header(dead, "kafka_dlt-original-partition")).getInt())
						.isEqualTo(failing.partition());
					assertThat(text(dead, "kafka_dlt-original-topic")).isEqualTo(QuickstartApplication.ORDERS_TOPIC);
					assertThat(text(dead, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
					assertThat(text(dead, "kafka_dlt-exception-message")).contains("'fail:boom'");
					assertThat(ByteBuffer.wrap(header(dead, "kafka_deliveryAttempt")).getInt()).isEqualTo(3);
				});
			// Every seeded record was processed, the failing one was not, and nothing
			// froze.
			assertThat(quickstart.processed()).hasSize(RECORDS)
				.doesNotHaveDuplicates()
				.noneMatch((value) -> value.startsWith(failing.partition() + ":" + failing.offset() + ":"));
			assertThat(quickstart.worker().get("frozenRecords").isEmpty()).isTrue();
			assertThat(output).contains("Worker 'orders' dead-lettered demo.orders-" + failing.partition() + "@"
					+ failing.offset() + " after 3 attempts");
		}
	}

	// The engine builds the dead-letter KafkaTemplate on a producer factory of its own,
	// which is not a bean: the engine must close its producer with the context.
	@Test
	void closingTheApplicationClosesTheDeadLetterProducer() {
		Set<Thread> before = producerThreads();
		try (RunningQuickstart quickstart = RunningQuickstart
			.start("--kafka.worker.workers.orders.on-failure=DEAD_LETTER", "--demo.seed=0", "--demo.fail=key-7")) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(QuickstartOutput.readAll(quickstart.bootstrapServers(), DEAD_LETTER_TOPIC))
							.hasSize(1));
			// Spring Boot's producer is quickstart-producer-1 (spring.application.name);
			// the dead-letter producer has Kafka's default client id, producer-<n>.
			Set<Thread> started = producerThreads();
			started.removeAll(before);
			assertThat(started).as("producer threads started by the application")
				.extracting(Thread::getName)
				.anyMatch((name) -> name.matches("kafka-producer-network-thread \\| producer-\\d+"));
		}
		// Closing a producer joins its network thread, so nothing is left to wait for.
		Set<Thread> left = producerThreads();
		left.removeAll(before);
		assertThat(left).as("producer threads left running after the application closed")
			.extracting(Thread::getName)
			.isEmpty();
	}

	private static Set<Thread> producerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("kafka-producer-network-thread"))
			.collect(Collectors.toCollection(HashSet::new));
	}

	private static byte[] header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as("header %s", name).isNotNull();
		return header.value();
	}

	private static String text(ConsumerRecord<?, ?> record, String name) {
		return new String(header(record, name), StandardCharsets.UTF_8);
	}

}
