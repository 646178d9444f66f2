package io.kafkaworker.delivery;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends a consumer's partitions back to records it fetched, so they are fetched again.
 * Runs on the consumer thread. A partition no longer assigned is left alone: its next
 * owner starts from the last commit.
 */
final class SeekBack {

	private SeekBack() {
	}

	/**
	 * Send each partition of a poll back to the poll's first record of it.
	 * @param consumer the consumer
	 * @param records the poll's records
	 */
	static void toFirstRecords(Consumer<?, ?> consumer, ConsumerRecords<Object, Object> records) {
		for (TopicPartition topicPartition : records.partitions()) {
			to(consumer, topicPartition, records.records(topicPartition).get(0).offset());
		}
	}

	/**
	 * Move a partition's position, unless it is no longer assigned.
	 * @param consumer the consumer
	 * @param topicPartition the partition
	 * @param offset the offset to fetch next
	 */
	static void to(Consumer<?, ?> consumer, TopicPartition topicPartition, long offset) {
		try {
			consumer.seek(topicPartition, offset);
		}
		catch (IllegalStateException ex) {
			// No longer assigned: the next owner starts from the last commit.
		}
	}

}
