package io.kafkaworker.runtime;

import java.util.List;

/**
 * The group table of a worker whose handler takes a row, at one moment.
 *
 * @param topic the table topic
 * @param checkpoints whether the store keeps rows across restarts with checkpoints
 * (RocksDB), so that a restore reads only the table's tail
 * @param restoring the table partitions being restored now, before their input records
 * run; empty when none is
 */
public record TableSnapshot(String topic, boolean checkpoints, List<RestoringPartition> restoring) {

	/**
	 * Create a snapshot.
	 */
	public TableSnapshot {
		restoring = List.copyOf(restoring);
	}

	/**
	 * The progress of a table partition being restored.
	 *
	 * @param partition the partition number (the input partition's, too)
	 * @param position the next table offset the restore reads
	 * @param endOffset the table offset the restore reads up to
	 */
	public record RestoringPartition(int partition, long position, long endOffset) {

	}

}
