package io.kafkaworker.runtime;

/**
 * The progress of one assigned partition at one moment.
 *
 * @param topic the topic
 * @param partition the partition number
 * @param committableOffset the offset that is safe to commit, or -1 before the first
 * record
 * @param lastCommittedOffset the last offset committed by this consumer, or -1
 * @param lastReceivedOffset the last offset fetched, or -1
 * @param outstanding records fetched and not complete (buffered or in flight)
 * @param inFlight records inside handler calls
 * @param paused whether back-pressure paused the partition
 */
public record PartitionSnapshot(String topic, int partition, long committableOffset, long lastCommittedOffset,
		long lastReceivedOffset, int outstanding, int inFlight, boolean paused) {

}
