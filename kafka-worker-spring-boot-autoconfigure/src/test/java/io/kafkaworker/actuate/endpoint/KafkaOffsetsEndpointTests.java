package io.kafkaworker.actuate.endpoint;

import java.time.Instant;
import java.util.Map;

import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint.GroupDescriptor;
import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint.TopicDescriptor;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.PartitionLag;
import io.kafkaworker.admin.TimestampOffset;
import io.kafkaworker.admin.Watermarks;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link KafkaOffsetsEndpoint}, its operations called directly over a real
 * broker: a topic of 2 partitions with 3 records each, and a group that committed offset
 * 1 on partition 0.
 */
class KafkaOffsetsEndpointTests {

	private static final String TOPIC = Broker.uniqueName("endpoint-offsets");

	private static final String GROUP = Broker.uniqueName("endpoint-group");

	private static KafkaOffsets offsets;

	private final KafkaOffsetsEndpoint endpoint = new KafkaOffsetsEndpoint(offsets);

	@BeforeAll
	static void topicAndGroup() throws Exception {
		Broker.createTopic(TOPIC, 2);
		Broker.produce(TOPIC, 6, (i) -> new String[] { "k" + i, "v" + i });
		try (Admin admin = Broker.admin()) {
			admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1)))
				.all()
				.get();
		}
		offsets = new KafkaOffsets(
				new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers())));
	}

	@AfterAll
	static void close() {
		offsets.close();
	}

	@Test
	void topicShowsWatermarksAndCounts() {
		TopicDescriptor topic = this.endpoint.topic(TOPIC, null, null);
		assertThat(topic).isNotNull();
		assertThat(topic.watermarks().messageCount()).isEqualTo(6);
		assertThat(topic.watermarks().partitions()).extracting(Watermarks::partition).containsExactly(0, 1);
		assertThat(topic.watermarks().isolation()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
		assertThat(topic.offsetsForTimestamp()).isNull();
	}

	@Test
	void topicWithTimestampAlsoShowsItsOffsets() {
		TopicDescriptor past = this.endpoint.topic(TOPIC, "2020-01-01T00:00:00Z", "read_committed");
		assertThat(past).isNotNull();
		assertThat(past.watermarks().isolation()).isEqualTo(IsolationLevel.READ_COMMITTED);
		assertThat(past.offsetsForTimestamp()).isNotNull();
		assertThat(past.offsetsForTimestamp().partitions()).extracting(TimestampOffset::offset).containsExactly(0L, 0L);
		long future = Instant.now().plusSeconds(3600).toEpochMilli();
		TopicDescriptor later = this.endpoint.topic(TOPIC, Long.toString(future), null);
		assertThat(later).isNotNull();
		assertThat(later.offsetsForTimestamp()).isNotNull();
		assertThat(later.offsetsForTimestamp().timestamp()).isEqualTo(Instant.ofEpochMilli(future));
		assertThat(later.offsetsForTimestamp().partitions()).extracting(TimestampOffset::offset).containsOnlyNulls();
	}

	@Test
	void groupShowsCommittedOffsetsAndLag() {
		GroupDescriptor group = this.endpoint.group(TOPIC, GROUP, null);
		assertThat(group).isNotNull();
		assertThat(group.group()).isEqualTo(GROUP);
		assertThat(group.topic()).isEqualTo(TOPIC);
		assertThat(group.partitions()).extracting(PartitionLag::committedOffset).containsExactly(1L, null);
		long records = this.endpoint.topic(TOPIC, null, null).watermarks().messageCount();
		assertThat(group.totalLag()).isEqualTo(records - 1);
	}

	@Test
	void unknownTopicOrGroupIsNotFound() {
		assertThat(this.endpoint.topic("no-such-topic", null, null)).isNull();
		assertThat(this.endpoint.group("no-such-topic", GROUP, null)).isNull();
		assertThat(this.endpoint.group(TOPIC, "no-such-group", null)).isNull();
	}

	@Test
	void unreadableParametersAreBadRequests() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.topic(TOPIC, "yesterday", null))
			.withMessage("Unreadable timestamp 'yesterday'; use ISO-8601 (2026-01-31T12:00:00Z) or epoch milliseconds");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.group(TOPIC, GROUP, "serializable"))
			.withMessage("Unknown isolation 'serializable'; use read_uncommitted or read_committed");
	}

}
