package io.kafkaworker.runtime;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A running worker, as operators see it: its state, and the live actions on it.
 */
public interface WorkerView {

	/**
	 * Return the worker id.
	 * @return the id
	 */
	String id();

	/**
	 * Return the worker's state now.
	 * @return a snapshot; each partition is read atomically
	 */
	WorkerSnapshot snapshot();

	/**
	 * Pause the worker: its consumers keep their partitions and stop fetching. Records
	 * already fetched are still handled.
	 */
	void pause();

	/**
	 * Resume a paused worker.
	 */
	void resume();

	/**
	 * Retry the frozen records of a partition, or of one key of it.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key as text, or null for every frozen record of the partition
	 * @return the records that are retried
	 */
	List<FrozenRecord> resumeFrozen(String topic, int partition, @Nullable String key);

	/**
	 * Skip the frozen records of a partition, or of one key of it: mark them complete
	 * without handling them.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key as text, or null for every frozen record of the partition
	 * @param toDeadLetter whether to publish the records to the dead-letter topic first
	 * @return the records skipped
	 */
	List<FrozenRecord> skipFrozen(String topic, int partition, @Nullable String key, boolean toDeadLetter);

	/**
	 * Move a partition's position while the worker is paused: the partition is fetched
	 * from that offset when the worker resumes, and the next commit records it.
	 * @param topic the topic
	 * @param partition the partition
	 * @param offset the offset to fetch next
	 * @throws IllegalStateException if the worker is not paused or does not hold the
	 * partition
	 */
	void seek(String topic, int partition, long offset);

}
