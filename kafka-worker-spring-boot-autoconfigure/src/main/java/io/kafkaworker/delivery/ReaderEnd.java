package io.kafkaworker.delivery;

import java.util.Map;

import io.kafkaworker.event.ReaderFinishedEvent.ReadPartition;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears that a consumer of a reader reached the end of its partitions.
 */
@FunctionalInterface
public interface ReaderEnd {

	/**
	 * A consumer of the reader handled every record below the end offsets of its
	 * partitions. Called once per consumer, on its thread.
	 * @param partitions what it read of each partition
	 */
	void reached(Map<TopicPartition, ReadPartition> partitions);

}
