package io.kafkaworker.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * The application's {@link KafkaAdmin} in a tester: the topic operations the workers use
 * (describe, and create for dead-letter and table topics) act on the in-memory Kafka;
 * nothing connects to a broker.
 */
final class InMemoryKafkaAdmin extends KafkaAdmin {

	private static final Node NODE = new Node(0, "in-memory", 0);

	private final InMemoryKafka kafka;

	InMemoryKafkaAdmin(InMemoryKafka kafka) {
		super(Map.of());
		this.kafka = kafka;
		setAutoCreate(false);
	}

	@Override
	public Map<String, TopicDescription> describeTopics(String... topicNames) {
		Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
		for (String topic : topicNames) {
			if (!this.kafka.topicNames().contains(topic)) {
				throw new KafkaException("Topic '" + topic + "' does not exist in the in-memory Kafka");
			}
			List<TopicPartitionInfo> partitions = IntStream.range(0, this.kafka.partitions(topic))
				.mapToObj((partition) -> new TopicPartitionInfo(partition, NODE, List.of(NODE), List.of(NODE)))
				.toList();
			descriptions.put(topic, new TopicDescription(topic, false, partitions));
		}
		return descriptions;
	}

	@Override
	public void createOrModifyTopics(NewTopic... topics) {
		for (NewTopic topic : topics) {
			this.kafka.createTopic(topic.name(), (topic.numPartitions() > 0) ? topic.numPartitions() : 1);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
	}

}
