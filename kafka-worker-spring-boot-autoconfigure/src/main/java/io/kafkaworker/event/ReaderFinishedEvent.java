package io.kafkaworker.event;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A reader with {@code stop-at: END} handled every record of its partitions below the end
 * offsets it saw when it started, and stops. Published on the reader's consumer thread.
 */
public class ReaderFinishedEvent extends KafkaWorkerEvent {

	private final Map<TopicPartition, ReadPartition> partitions;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param partitions what the reader read of each partition
	 */
	public ReaderFinishedEvent(Object source, String workerId, Map<TopicPartition, ReadPartition> partitions) {
		super(source, workerId);
		this.partitions = Map.copyOf(partitions);
	}

	/**
	 * Return what the reader read of each partition.
	 * @return the partitions
	 */
	public Map<TopicPartition, ReadPartition> getPartitions() {
		return this.partitions;
	}

	/**
	 * Return how many records the reader handled, over all its partitions.
	 * @return the number of records
	 */
	public long getRecords() {
		return this.partitions.values().stream().mapToLong(ReadPartition::records).sum();
	}

	@Override
	public String toString() {
		return "ReaderFinishedEvent[worker=" + getWorkerId() + ", records=" + getRecords() + ", partitions="
				+ this.partitions + "]";
	}

	/**
	 * What a reader read of one partition.
	 *
	 * @param startOffset where it started
	 * @param endOffset the end offset it saw when it started, where it stopped
	 * @param records the records it handled (skipped and dead-lettered ones included)
	 */
	public record ReadPartition(long startOffset, long endOffset, long records) {

	}

}
