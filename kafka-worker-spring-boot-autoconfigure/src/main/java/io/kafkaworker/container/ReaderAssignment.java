package io.kafkaworker.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.TopicPartitionOffset.SeekPosition;

/**
 * The explicit assignment of a reader, in the form Spring Kafka's container assigns and
 * seeks: each partition of its topics (or the listed ones) with its start position. The
 * container seeks before its first poll, resolving a timestamp to the first offset at or
 * after it. Spring Kafka assigns listed partitions only (no wildcard), so without a list
 * the topics' partitions are looked up when the container is created, and the broker must
 * be reachable then.
 */
final class ReaderAssignment {

	private ReaderAssignment() {
	}

	/**
	 * Return the partitions a reader reads, with where each starts.
	 * @param workerId the worker
	 * @param topics the worker's topics
	 * @param reader the reader's settings
	 * @param admin looks up the topics' partitions when the settings list none
	 * @return the assignment
	 * @throws KafkaWorkerConfigurationException if a topic does not exist (a listed
	 * partition that does not exist fails when the consumer reads it)
	 */
	static TopicPartitionOffset[] of(String workerId, List<String> topics, ReaderSettings reader,
			@Nullable KafkaAdmin admin) {
		List<TopicPartitionOffset> assignment = new ArrayList<>();
		if (!reader.partitions().isEmpty()) {
			// As listed: no broker is needed before the reader starts.
			for (String topic : topics) {
				for (int partition : reader.partitions()) {
					assignment.add(start(new TopicPartition(topic, partition), reader));
				}
			}
			return assignment.toArray(TopicPartitionOffset[]::new);
		}
		Map<String, TopicDescription> descriptions = describe(workerId, topics, admin);
		for (String topic : topics) {
			TopicDescription description = descriptions.get(topic);
			if (description == null) {
				throw new KafkaWorkerConfigurationException(
						"Worker '" + workerId + "' reads topic '" + topic + "', which does not exist",
						"Create the topic before the reader starts.");
			}
			List<Integer> existing = description.partitions().stream().map(TopicPartitionInfo::partition).toList();
			for (int partition : existing) {
				assignment.add(start(new TopicPartition(topic, partition), reader));
			}
		}
		return assignment.toArray(TopicPartitionOffset[]::new);
	}

	private static TopicPartitionOffset start(TopicPartition partition, ReaderSettings reader) {
		return switch (reader.start()) {
			case EARLIEST -> new TopicPartitionOffset(partition.topic(), partition.partition(), SeekPosition.BEGINNING);
			case LATEST -> new TopicPartitionOffset(partition.topic(), partition.partition(), SeekPosition.END);
			case TIMESTAMP -> new TopicPartitionOffset(partition.topic(), partition.partition(),
					(reader.startTimestamp() != null) ? reader.startTimestamp().toEpochMilli() : 0L,
					SeekPosition.TIMESTAMP);
			case OFFSETS -> {
				Long offset = reader.startOffsets().get(partition);
				yield (offset != null) ? new TopicPartitionOffset(partition.topic(), partition.partition(), offset)
						: new TopicPartitionOffset(partition.topic(), partition.partition(), SeekPosition.BEGINNING);
			}
		};
	}

	private static Map<String, TopicDescription> describe(String workerId, List<String> topics,
			@Nullable KafkaAdmin admin) {
		if (admin == null) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + workerId + "' reads without a consumer group but the application has no KafkaAdmin "
							+ "to look up the partitions of " + topics,
					"Let Spring Boot auto-configure Kafka, or list kafka.worker.workers." + workerId
							+ ".reader.partitions.");
		}
		try {
			// The application's NewTopic beans first: KafkaAdmin may not have created
			// them
			// yet when the containers are created (both happen once the singletons
			// exist).
			admin.initialize();
			return admin.describeTopics(topics.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + workerId + "' reads topics " + topics + " without a consumer group, but they could "
							+ "not be described: " + ex.getMessage(),
					"Create the topics before the reader starts, and check spring.kafka.bootstrap-servers.");
		}
	}

}
