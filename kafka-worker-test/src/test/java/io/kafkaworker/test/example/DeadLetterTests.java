package io.kafkaworker.test.example;

import java.util.List;

import io.kafkaworker.test.DeadLetter;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KafkaWorkerTestSupport#readDeadLetters} returns the record the worker
 * dead-lettered under {@code on-failure: DEAD_LETTER}, with Spring Kafka's headers. The
 * dead-letter topic is set explicitly rather than left to the default name.
 */
@SpringBootTest(properties = { "app.orders-topic=kit-dlt-orders", "kafka.worker.workers.orders.group-id=kit-dlt",
		"kafka.worker.workers.orders.on-failure=DEAD_LETTER",
		"kafka.worker.defaults.dead-letter.topic=kit-dead-letters" })
@EmbeddedKafkaWorkerTest(
		topics = { @Topic(name = "kit-dlt-orders", partitions = 3), @Topic(name = "kit-dead-letters", partitions = 1) })
class DeadLetterTests {

	@Autowired
	OrderHandler handler;

	@Test
	void readDeadLettersReturnsTheFailedRecordWithSpringKafkasHeaders(KafkaWorkerTestSupport kafka) {
		List<RecordMetadata> sent = kafka.sendAll(List.of(new ProducerRecord<>("kit-dlt-orders", "customer-1", "a"),
				new ProducerRecord<>("kit-dlt-orders", 2, "poison", "b",
						List.of(new RecordHeader("tenant", "acme".getBytes()))),
				new ProducerRecord<>("kit-dlt-orders", 2, "customer-2", "c")));
		RecordMetadata poison = sent.get(1);
		kafka.awaitCommitted("kit-dlt", "kit-dlt-orders");
		assertThat(this.handler.handled()).containsExactlyInAnyOrder("a", "c");
		List<DeadLetter> deadLetters = kafka.readDeadLetters("kit-dead-letters");
		assertThat(deadLetters).singleElement().satisfies((dead) -> {
			assertThat(dead.key()).isEqualTo("poison");
			assertThat(dead.value()).isEqualTo("b");
			assertThat(dead.header("tenant")).isEqualTo("acme");
			assertThat(dead.originalTopic()).isEqualTo("kit-dlt-orders");
			assertThat(dead.originalPartition()).isEqualTo(2);
			assertThat(dead.originalOffset()).isEqualTo(poison.offset());
			assertThat(dead.exceptionClassName()).isEqualTo(IllegalStateException.class.getName());
			assertThat(dead.exceptionMessage()).contains("Cannot handle order b");
			assertThat(dead.deliveryAttempts()).isEqualTo(2);
			assertThat(dead.header(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("kit-dlt");
			assertThat(dead.header(KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).contains("OrderHandler.handle");
		});
		assertThat(kafka.readDeadLetters("kit-no-such-topic")).isEmpty();
	}

}
