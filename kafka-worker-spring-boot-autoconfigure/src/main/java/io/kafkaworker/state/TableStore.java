package io.kafkaworker.state;

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
	 * Release what the store holds, when its worker closes.
	 */
	@Override
	default void close() {
	}

}
