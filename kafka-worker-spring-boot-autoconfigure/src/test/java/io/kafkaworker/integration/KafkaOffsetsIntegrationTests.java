package io.kafkaworker.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.kafkaworker.admin.GroupLag;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.KafkaOffsetsException;
import io.kafkaworker.admin.PartitionLag;
import io.kafkaworker.admin.TimestampOffset;
import io.kafkaworker.admin.TopicOffsets;
import io.kafkaworker.admin.UnknownGroupException;
import io.kafkaworker.admin.UnknownTopicException;
import io.kafkaworker.admin.Watermarks;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link KafkaOffsets} on a real broker: watermarks and counts of what was produced, a
 * low watermark moved by {@code deleteRecords}, the committed offsets and lag of groups,
 * offsets by timestamp, transactions under both isolations, and the errors that name an
 * unknown topic or group or the operation that timed out.
 */
class KafkaOffsetsIntegrationTests {

	private final KafkaOffsets offsets = new KafkaOffsets(kafkaAdmin());

	@AfterEach
	void close() {
		this.offsets.close();
	}

	@Test
	void watermarksAndCountsOfEachPartitionAreWhatWasProduced() {
		String topic = topic(3);
		send(topic, 0, 2);
		send(topic, 1, 4);
		send(topic, 2, 6);
		TopicOffsets watermarks = this.offsets.watermarks(topic);
		assertThat(watermarks.topic()).isEqualTo(topic);
		assertThat(watermarks.isolation()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
		assertThat(watermarks.partitions()).containsExactly(new Watermarks(0, 0, 2, 2), new Watermarks(1, 0, 4, 4),
				new Watermarks(2, 0, 6, 6));
		assertThat(watermarks.messageCount()).isEqualTo(12);
		assertThat(this.offsets.messageCount(topic)).isEqualTo(12);
	}

	@Test
	void deleteRecordsMovesTheLowWatermarkAndLagCountsOnlyWhatIsLeft() throws Exception {
		String topic = topic(1);
		String group = Broker.uniqueName("offsets-group");
		TopicPartition partition = new TopicPartition(topic, 0);
		send(topic, 0, 10);
		try (Admin admin = Broker.admin()) {
			admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(2))).all().get();
			admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(4))).all().get();
		}
		assertThat(this.offsets.watermarks(topic).partitions()).containsExactly(new Watermarks(0, 4, 10, 6));
		assertThat(this.offsets.lag(group, topic).partitions()).containsExactly(new PartitionLag(0, 2L, 4, 10, 6));
	}

	@Test
	void lagOfAGroupIsHighWatermarkMinusCommittedAndEveryRecordWhereItCommittedNothing() {
		String topic = topic(2);
		String group = Broker.uniqueName("offsets-group");
		send(topic, 0, 5);
		send(topic, 1, 5);
		try (KafkaConsumer<String, String> consumer = consumer(group)) {
			TopicPartition first = new TopicPartition(topic, 0);
			consumer.assign(List.of(first));
			consumer.commitSync(Map.of(first, new OffsetAndMetadata(3)));
		}
		GroupLag lag = this.offsets.lag(group, topic);
		assertThat(lag.group()).isEqualTo(group);
		assertThat(lag.partitions()).containsExactly(new PartitionLag(0, 3L, 0, 5, 2),
				new PartitionLag(1, null, 0, 5, 5));
		assertThat(lag.totalLag()).isEqualTo(7);
	}

	@Test
	void groupThatCommittedOnlyOnAnotherTopicIsKnownAndLagsByEveryRecord() throws Exception {
		String topic = topic(1);
		String other = topic(1);
		String group = Broker.uniqueName("offsets-group");
		send(topic, 0, 3);
		try (Admin admin = Broker.admin()) {
			admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(other, 0), new OffsetAndMetadata(0)))
				.all()
				.get();
		}
		assertThat(this.offsets.lag(group, topic).partitions()).containsExactly(new PartitionLag(0, null, 0, 3, 3));
	}

	@Test
	void offsetsForTimestampAreTheFirstRecordsAtOrAfterIt() {
		String topic = topic(2);
		Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < 4; i++) {
				producer.send(new ProducerRecord<>(topic, 0, start.plusSeconds(i).toEpochMilli(), "k", "v" + i));
			}
			producer.send(new ProducerRecord<>(topic, 1, start.toEpochMilli(), "k", "early"));
			producer.flush();
		}
		Instant asked = start.plusMillis(1500);
		assertThat(this.offsets.offsetsForTimestamp(topic, asked).partitions())
			.containsExactly(new TimestampOffset(0, 2L, start.plusSeconds(2)), new TimestampOffset(1, null, null));
		assertThat(this.offsets.offsetsForTimestamp(topic, start).partitions()).extracting(TimestampOffset::offset)
			.containsExactly(0L, 0L);
	}

	// An open transaction's records count read_uncommitted but not read_committed; once
	// committed, its marker takes an offset: 3 records that a consumer can read, a count
	// of 4.
	@Test
	void transactionsCountUnderReadUncommittedAndTheirMarkersMakeCountsAnUpperBound() {
		String topic = topic(1);
		try (KafkaProducer<String, String> producer = transactionalProducer(topic)) {
			producer.initTransactions();
			producer.beginTransaction();
			for (int i = 0; i < 3; i++) {
				producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i));
			}
			producer.flush();
			assertThat(this.offsets.watermarks(topic, IsolationLevel.READ_UNCOMMITTED).messageCount()).isEqualTo(3);
			assertThat(this.offsets.watermarks(topic, IsolationLevel.READ_COMMITTED).messageCount()).isZero();
			producer.commitTransaction();
		}
		// The coordinator writes the marker after the commit returns.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.offsets.watermarks(topic, IsolationLevel.READ_COMMITTED).partitions())
				.containsExactly(new Watermarks(0, 0, 4, 4)));
		assertThat(this.offsets.messageCount(topic)).isEqualTo(4);
	}

	@Test
	void unknownTopicIsNamed() {
		String group = Broker.uniqueName("offsets-group");
		assertThatExceptionOfType(UnknownTopicException.class).isThrownBy(() -> this.offsets.watermarks("no-such"))
			.withMessage("Topic 'no-such' does not exist")
			.satisfies((ex) -> assertThat(ex.getTopic()).isEqualTo("no-such"));
		assertThatExceptionOfType(UnknownTopicException.class).isThrownBy(() -> this.offsets.lag(group, "no-such"))
			.withMessage("Topic 'no-such' does not exist");
		assertThatExceptionOfType(UnknownTopicException.class)
			.isThrownBy(() -> this.offsets.offsetsForTimestamp("no-such", Instant.now()))
			.withMessage("Topic 'no-such' does not exist");
	}

	@Test
	void unknownGroupIsNamed() {
		String topic = topic(1);
		String group = Broker.uniqueName("never-seen");
		assertThatExceptionOfType(UnknownGroupException.class).isThrownBy(() -> this.offsets.lag(group, topic))
			.withMessage("Consumer group '" + group + "' does not exist")
			.satisfies((ex) -> assertThat(ex.getGroup()).isEqualTo(group));
	}

	// Nothing listens on port 1: the query gives up after the admin operation timeout.
	@Test
	void unreachableClusterTimesOutNamingTheTopic() {
		KafkaAdmin unreachable = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"));
		unreachable.setOperationTimeout(1);
		try (KafkaOffsets offsets = new KafkaOffsets(unreachable)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(KafkaOffsetsException.class).isThrownBy(() -> offsets.watermarks("orders"))
				.withMessage("Could not describe topic 'orders' within PT1S (spring.kafka.admin.operation-timeout)");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	private static KafkaAdmin kafkaAdmin() {
		return new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers()));
	}

	private static String topic(int partitions) {
		String topic = Broker.uniqueName("offsets");
		Broker.createTopic(topic, partitions);
		return topic;
	}

	private static void send(String topic, int partition, int count) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < count; i++) {
				producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
			}
			producer.flush();
		}
	}

	private static KafkaConsumer<String, String> consumer(String group) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		return new KafkaConsumer<>(properties);
	}

	private static KafkaProducer<String, String> transactionalProducer(String topic) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
		return new KafkaProducer<>(properties);
	}

}
