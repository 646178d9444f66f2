package io.kafkaworker.state;

import java.util.function.BiConsumer;

import org.apache.kafka.common.utils.Bytes;

/**
 * The local copy of a group table's rows, by partition, as the table topic holds them:
 * serialized keys and values. Written by the workers' lane threads (one writer per key)
 * and by the consumer thread while it restores a partition; implementations must be
 * thread-safe.
 */
public interface TableStore extends AutoCloseable {

	/**
	 * Return a row's value.
	 * @param partition the partition
	 * @param key the serialized key
	 * @return the serialized value, or null if there is no such row
	 */
	byte @org.jspecify.annotations.Nullable [] get(int partition, Bytes key);

	/**
	 * Set a row's value.
	 * @param partition the partition
	 * @param key the serialized key
	 * @param value the serialized value
	 */
	void put(int partition, Bytes key, byte[] value);

	/**
	 * Delete a row.
	 * @param partition the partition
	 * @param key the serialized key
	 */
	void delete(int partition, Bytes key);

	/**
	 * Drop every row of a partition, when the worker no longer owns it.
	 * @param partition the partition
	 */
	void clear(int partition);

	/**
	 * Return how many rows a partition holds.
	 * @param partition the partition
	 * @return the number of rows
	 */
	long size(int partition);

	/**
	 * Call an action for every row of a partition, in no promised order.
	 * @param partition the partition
	 * @param action takes each serialized key and value
	 */
	void forEach(int partition, BiConsumer<Bytes, byte[]> action);

	/**
	 * Return whether the store keeps the rows of partitions let go cleanly, with the
	 * table offset they were read up to, so that the partition's next restore reads only
	 * the table's tail. A store that does not has every partition restored from the
	 * beginning of the table.
	 * @return true for a store that keeps checkpoints
	 */
	default boolean keepsCheckpoints() {
		return false;
	}

	/**
	 * Return the checkpoint of a partition: the table offset up to which its rows equal
	 * the fold of the table topic, from an earlier owner of the partition that let it go
	 * cleanly.
	 * @param partition the partition
	 * @return the offset of the first table record the rows do not reflect, or -1 when
	 * the rows cannot be trusted (none kept, or changed since)
	 */
	default long checkpoint(int partition) {
		return -1;
	}

	/**
	 * Record a partition's checkpoint, durably, or drop it (-1) before the partition's
	 * rows change: rows that a crash could leave ahead of or behind the table are never
	 * trusted.
	 * @param partition the partition
	 * @param offset the offset of the first table record the rows do not reflect, or -1
	 */
	default void checkpoint(int partition, long offset) {
	}

	/**
	 * Release what the store holds, when its worker closes.
	 */
	@Override
	default void close() {
	}

}
