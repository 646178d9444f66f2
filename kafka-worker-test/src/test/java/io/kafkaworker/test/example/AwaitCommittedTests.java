package io.kafkaworker.test.example;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KafkaWorkerTestSupport#awaitCommitted} checked against the broker: when it
 * returns, an Admin client of the test's own sees the group's committed offsets at the
 * topic's end offsets. The worker commits every 3 s, long after it handled the records,
 * so a wait that returned early would see them short.
 */
@SpringBootTest(properties = { "app.orders-topic=kit-commits", "kafka.worker.workers.orders.group-id=kit-commits",
		"kafka.worker.workers.orders.commit-interval=3s" })
@EmbeddedKafkaWorkerTest(topics = @Topic(name = "kit-commits", partitions = 3))
class AwaitCommittedTests {

	private static final String TOPIC = "kit-commits";

	@Autowired
	OrderHandler handler;

	@Autowired
	KafkaWorkerTestSupport kafka;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Test
	void returnsOnlyOnceTheGroupCommittedEveryRecordSent() throws Exception {
		assertThat(this.bootstrapServers).isEqualTo(this.kafka.bootstrapServers());
		WorkerSnapshot assigned = this.kafka.awaitAssigned("orders");
		assertThat(assigned.joined()).isTrue();
		assertThat(assigned.partitions()).extracting(PartitionSnapshot::partition).containsExactlyInAnyOrder(0, 1, 2);
		List<ProducerRecord<String, String>> records = IntStream.range(0, 60)
			.mapToObj((i) -> new ProducerRecord<>(TOPIC, i % 3, "customer-" + (i % 7), "commit-" + i))
			.toList();
		this.kafka.sendAll(records);
		Map<TopicPartition, Long> returned = this.kafka.awaitCommitted(TOPIC, TOPIC);
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets(TOPIC)
				.partitionsToOffsetAndMetadata()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> offset(entry.getValue())));
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			for (int partition = 0; partition < 3; partition++) {
				latest.put(new TopicPartition(TOPIC, partition), OffsetSpec.latest());
			}
			Map<TopicPartition, Long> end = admin.listOffsets(latest)
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
			assertThat(end).containsOnly(Map.entry(new TopicPartition(TOPIC, 0), 20L),
					Map.entry(new TopicPartition(TOPIC, 1), 20L), Map.entry(new TopicPartition(TOPIC, 2), 20L));
			assertThat(committed).isEqualTo(end);
			assertThat(returned).isEqualTo(end);
		}
		assertThat(this.handler.handled()).hasSize(60);
	}

	@Test
	void timesOutNamingTheGroupTheTopicAndTheOffsetsSeen() {
		this.kafka.send(TOPIC, "customer-1", "commit-extra");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.kafka.withTimeout(Duration.ofMillis(300)).awaitCommitted("nobody", TOPIC))
			.withMessageStartingWith("Consumer group 'nobody' did not commit topic 'kit-commits' up to its end offsets")
			.withMessageContaining("within PT0.3S; last seen: committed {}, end offsets {kit-commits-0=");
	}

	@Test
	void awaitFrozenTimesOutNamingTheWorkerAndItsState() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.kafka.withTimeout(Duration.ofMillis(300)).awaitFrozen("orders"))
			.withMessageStartingWith("Worker 'orders' froze no record within PT0.3S; last seen: state RUNNING")
			.withMessageContaining("frozen records 0");
	}

	@Test
	void namesTheWorkersWhenAskedForAnUnknownOne() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.kafka.awaitAssigned("order"))
			.withMessage("The application has no worker 'order'; its workers: [orders]");
	}

	private static long offset(OffsetAndMetadata offset) {
		return offset.offset();
	}

}
