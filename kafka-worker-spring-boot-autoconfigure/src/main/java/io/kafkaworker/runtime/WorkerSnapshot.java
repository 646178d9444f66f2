package io.kafkaworker.runtime;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An immutable view of one worker at one moment, for metrics, health and the actuator
 * endpoint.
 *
 * @param id the worker id
 * @param groupId the consumer group
 * @param topics the topics consumed
 * @param mode the ordering contract, as the name of its {@code Mode}
 * @param delivery the delivery guarantee, as the name of its {@code Delivery}
 * @param state whether the worker runs, is paused or stopped
 * @param autoStartup whether the worker starts with the application
 * @param consumers the number of consumers (the container's concurrency)
 * @param concurrency the most handler calls at once
 * @param runningCalls handler calls running now
 * @param lanes lanes that exist now
 * @param haltedLanes lanes halted after a failure or held by a freeze
 * @param bufferedRecords records waiting in lanes
 * @param maxBufferedRecords the bound on records held, buffered or in flight
 * @param partitions the assigned partitions
 * @param frozenRecords the records that froze a partition or key, oldest first
 * @param joined whether every consumer of the worker joined its group: received
 * partitions, or held an assignment with none for two seconds
 * @param sinceLastPoll the longest time any of the worker's consumers has not come back
 * to poll
 * @param longestRunningCall how long the longest handler call running now has run
 * @param table the worker's group table, or null if its handler takes no row
 * @param reader the progress of a worker that reads without a consumer group, or null for
 * a worker of a group (and a reader before its first poll)
 * @param shareGroup whether the worker consumes through a share group, which has no
 * partitions to hold: {@code partitions} stays empty
 */
public record WorkerSnapshot(String id, String groupId, List<String> topics, String mode, String delivery, State state,
		boolean autoStartup, int consumers, int concurrency, int runningCalls, int lanes, int haltedLanes,
		int bufferedRecords, long maxBufferedRecords, List<PartitionSnapshot> partitions,
		List<FrozenRecord> frozenRecords, boolean joined, Duration sinceLastPoll, Duration longestRunningCall,
		@Nullable TableSnapshot table, @Nullable ReaderSnapshot reader, boolean shareGroup) {

	/**
	 * Create a snapshot.
	 */
	public WorkerSnapshot {
		topics = List.copyOf(topics);
		partitions = List.copyOf(partitions);
		frozenRecords = List.copyOf(frozenRecords);
	}

	/**
	 * Return the records in flight across all partitions.
	 * @return the number of records inside handler calls
	 */
	public int inFlightRecords() {
		return this.partitions.stream().mapToInt(PartitionSnapshot::inFlight).sum();
	}

	/**
	 * Return the number of partitions with at least one frozen record.
	 * @return the frozen partitions
	 */
	public long frozenPartitions() {
		return this.frozenRecords.stream()
			.map((record) -> record.topic() + "-" + record.partition())
			.distinct()
			.count();
	}

	/**
	 * Whether a worker runs.
	 */
	public enum State {

		/**
		 * The worker's container runs and fetches.
		 */
		RUNNING,

		/**
		 * An operator paused the worker: it keeps its partitions and fetches nothing.
		 */
		PAUSED,

		/**
		 * The worker's container is not running.
		 */
		STOPPED,

		/**
		 * A reader reached its end and stopped by itself.
		 */
		FINISHED

	}

}
