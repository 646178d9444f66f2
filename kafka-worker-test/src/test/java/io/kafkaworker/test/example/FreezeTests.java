package io.kafkaworker.test.example;

import java.util.List;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KafkaWorkerTestSupport#awaitFrozen} returns the record that froze its partition
 * under {@code on-failure: FREEZE} (the default).
 */
@SpringBootTest(properties = { "app.orders-topic=kit-freeze", "kafka.worker.workers.orders.group-id=kit-freeze",
		"kafka.worker.workers.orders.on-failure=FREEZE" })
@EmbeddedKafkaWorkerTest(topics = @Topic(name = "kit-freeze", partitions = 3))
class FreezeTests {

	@Test
	void awaitFrozenReturnsTheRecordThatFailedEveryAttempt(KafkaWorkerTestSupport kafka) {
		kafka.send("kit-freeze", "customer-1", "order-1");
		RecordMetadata poison = kafka.send("kit-freeze", "poison", "order-2");
		kafka.send("kit-freeze", "customer-3", "order-3");
		List<FrozenRecord> frozen = kafka.awaitFrozen("orders");
		assertThat(frozen).singleElement().satisfies((record) -> {
			assertThat(record.topic()).isEqualTo("kit-freeze");
			assertThat(record.partition()).isEqualTo(poison.partition());
			assertThat(record.offset()).isEqualTo(poison.offset());
			assertThat(record.key()).isEqualTo("poison");
			assertThat(record.scope()).isEqualTo("PARTITION");
			assertThat(record.attempts()).isEqualTo(2);
			assertThat(record.exception()).isEqualTo(IllegalStateException.class.getName());
			assertThat(record.message()).isEqualTo("Cannot handle order order-2");
		});
	}

}
