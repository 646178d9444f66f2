package io.kafkaworker.admin;

import java.util.List;

import org.apache.kafka.common.IsolationLevel;

/**
 * A consumer group's committed offsets and lag on every partition of a topic.
 *
 * @param group the consumer group
 * @param topic the topic
 * @param isolation the isolation of the high watermarks the lag is measured to
 * @param partitions each partition's committed offset and lag, by partition number
 * @param totalLag the sum of the partitions' lag
 */
public record GroupLag(String group, String topic, IsolationLevel isolation, List<PartitionLag> partitions,
		long totalLag) {

	static GroupLag of(String group, String topic, IsolationLevel isolation, List<PartitionLag> partitions) {
		return new GroupLag(group, topic, isolation, List.copyOf(partitions),
				partitions.stream().mapToLong(PartitionLag::lag).sum());
	}

}
