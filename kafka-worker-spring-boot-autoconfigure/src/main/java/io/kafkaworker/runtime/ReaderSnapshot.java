package io.kafkaworker.runtime;

import java.util.List;

/**
 * The progress of a worker that reads without a consumer group.
 *
 * @param finished whether it reached its end and stopped
 * @param partitions each partition's start, end and position
 */
public record ReaderSnapshot(boolean finished, List<ReaderPartition> partitions) {

	/**
	 * Create a snapshot.
	 */
	public ReaderSnapshot {
		partitions = List.copyOf(partitions);
	}

	/**
	 * Where a reader is in one partition.
	 *
	 * @param topic the topic
	 * @param partition the partition
	 * @param startOffset where it started
	 * @param endOffset where it stops (the end offset it saw when it started), -1 for a
	 * reader that never stops
	 * @param position the next offset it fetches, -1 when unknown
	 */
	public record ReaderPartition(String topic, int partition, long startOffset, long endOffset, long position) {

	}

}
