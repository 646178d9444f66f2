package io.kafkaworker.admin;

import java.util.List;

import org.apache.kafka.common.IsolationLevel;

/**
 * The watermarks of every partition of a topic.
 *
 * @param topic the topic
 * @param isolation whether the high watermarks count records of open and aborted
 * transactions ({@code READ_UNCOMMITTED}) or stop at the last stable offset
 * ({@code READ_COMMITTED})
 * @param partitions the watermarks of each partition, by partition number
 * @param messageCount the sum of the partitions' counts, an upper bound of the topic's
 * records (see {@link Watermarks#messageCount()})
 */
public record TopicOffsets(String topic, IsolationLevel isolation, List<Watermarks> partitions, long messageCount) {

	static TopicOffsets of(String topic, IsolationLevel isolation, List<Watermarks> partitions) {
		return new TopicOffsets(topic, isolation, List.copyOf(partitions),
				partitions.stream().mapToLong(Watermarks::messageCount).sum());
	}

}
