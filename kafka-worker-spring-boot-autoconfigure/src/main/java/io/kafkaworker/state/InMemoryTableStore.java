package io.kafkaworker.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TableStore} on the heap: one concurrent map per partition. Rows are rebuilt
 * from the table topic whenever a partition is assigned.
 */
public final class InMemoryTableStore implements TableStore {

	private final Map<Integer, Map<Bytes, byte[]>> partitions = new ConcurrentHashMap<>();

	@Override
	public byte @Nullable [] get(int partition, Bytes key) {
		Map<Bytes, byte[]> rows = this.partitions.get(partition);
		return (rows != null) ? rows.get(key) : null;
	}

	@Override
	public void put(int partition, Bytes key, byte[] value) {
		this.partitions.computeIfAbsent(partition, (number) -> new ConcurrentHashMap<>()).put(key, value);
	}

	@Override
	public void delete(int partition, Bytes key) {
		Map<Bytes, byte[]> rows = this.partitions.get(partition);
		if (rows != null) {
			rows.remove(key);
		}
	}

	@Override
	public void clear(int partition) {
		this.partitions.remove(partition);
	}

	@Override
	public long size(int partition) {
		Map<Bytes, byte[]> rows = this.partitions.get(partition);
		return (rows != null) ? rows.size() : 0;
	}

	@Override
	public void forEach(int partition, BiConsumer<Bytes, byte[]> action) {
		Map<Bytes, byte[]> rows = this.partitions.get(partition);
		if (rows != null) {
			rows.forEach(action);
		}
	}

}
