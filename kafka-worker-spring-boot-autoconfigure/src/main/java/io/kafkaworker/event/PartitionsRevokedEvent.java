package io.kafkaworker.event;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

/**
 * Partitions were taken from one of a worker's consumers, after it committed what was
 * complete (revoked) or without committing (lost).
 */
public class PartitionsRevokedEvent extends KafkaWorkerEvent {

	private final List<TopicPartition> partitions;

	private final boolean lost;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param partitions the partitions
	 * @param lost whether they were lost rather than revoked
	 */
	public PartitionsRevokedEvent(Object source, String workerId, Collection<TopicPartition> partitions, boolean lost) {
		super(source, workerId);
		this.partitions = List.copyOf(partitions);
		this.lost = lost;
	}

	/**
	 * Return the partitions.
	 * @return the partitions
	 */
	public List<TopicPartition> getPartitions() {
		return this.partitions;
	}

	/**
	 * Return whether the partitions were lost: the consumer could not commit before they
	 * moved.
	 * @return true if lost, false if revoked
	 */
	public boolean isLost() {
		return this.lost;
	}

	@Override
	public String toString() {
		return "PartitionsRevokedEvent[worker=" + getWorkerId() + ", partitions=" + this.partitions + ", lost="
				+ this.lost + "]";
	}

}
