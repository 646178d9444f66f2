package io.kafkaworker.event;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

/**
 * Partitions were assigned to one of a worker's consumers.
 */
public class PartitionsAssignedEvent extends KafkaWorkerEvent {

	private final List<TopicPartition> partitions;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param partitions the newly assigned partitions
	 */
	public PartitionsAssignedEvent(Object source, String workerId, Collection<TopicPartition> partitions) {
		super(source, workerId);
		this.partitions = List.copyOf(partitions);
	}

	/**
	 * Return the newly assigned partitions.
	 * @return the partitions
	 */
	public List<TopicPartition> getPartitions() {
		return this.partitions;
	}

	@Override
	public String toString() {
		return "PartitionsAssignedEvent[worker=" + getWorkerId() + ", partitions=" + this.partitions + "]";
	}

}
