package io.kafkaworker.runtime;

import java.util.List;

/**
 * An immutable view of one worker at one moment, for metrics, health and the actuator
 * endpoint.
 *
 * @param id the worker id
 * @param groupId the consumer group
 * @param topics the topics consumed
 * @param mode the ordering contract, as the name of its {@code Mode}
 * @param delivery the delivery guarantee, as the name of its {@code Delivery}
 * @param running whether the worker's listener container is running
 * @param concurrency the most handler calls at once
 * @param runningCalls handler calls running now
 * @param lanes lanes that exist now
 * @param haltedLanes lanes halted after a failure
 * @param bufferedRecords records waiting in lanes
 * @param maxBufferedRecords the bound on records held, buffered or in flight
 * @param partitions the assigned partitions
 */
public record WorkerSnapshot(String id, String groupId, List<String> topics, String mode, String delivery,
		boolean running, int concurrency, int runningCalls, int lanes, int haltedLanes, int bufferedRecords,
		int maxBufferedRecords, List<PartitionSnapshot> partitions) {

	/**
	 * Create a snapshot.
	 */
	public WorkerSnapshot {
		topics = List.copyOf(topics);
		partitions = List.copyOf(partitions);
	}

	/**
	 * Return the records in flight across all partitions.
	 * @return the number of records inside handler calls
	 */
	public int inFlightRecords() {
		return this.partitions.stream().mapToInt(PartitionSnapshot::inFlight).sum();
	}

}
