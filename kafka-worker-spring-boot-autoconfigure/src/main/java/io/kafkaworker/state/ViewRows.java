package io.kafkaworker.state;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * Where a view keeps its rows, chosen once when the view is created: on the heap as
 * objects ({@link #onHeap}), or serialized in a {@link TableStore} such as RocksDB
 * ({@link #stored}), for tables larger than the heap.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
interface ViewRows<K, V> extends AutoCloseable {

	/**
	 * Apply a table record.
	 * @param key the serialized key
	 * @param value the serialized value, or null to delete the row
	 */
	void apply(byte[] key, byte @Nullable [] value);

	@Nullable V get(K key);

	long size();

	void forEach(BiConsumer<? super K, ? super V> action);

	/**
	 * Return the rows with keys from {@code from} (inclusive) to {@code to} (exclusive).
	 * @param from the first key
	 * @param to the key after the last
	 * @return the rows, in key order
	 * @throws UnsupportedOperationException if the keys are not comparable
	 */
	Map<K, V> range(K from, K to);

	@Override
	default void close() {
	}

	/**
	 * Rows on the heap, deserialized as they arrive: a sorted map for comparable keys.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the view's name, for errors
	 * @param keyType the key type
	 * @param serde the key serde
	 * @param values the value serde
	 * @return the rows
	 */
	static <K, V> ViewRows<K, V> onHeap(String name, Class<K> keyType, Serde<K> serde, Serde<V> values) {
		ConcurrentMap<K, V> rows = Comparable.class.isAssignableFrom(keyType) ? new ConcurrentSkipListMap<>()
				: new ConcurrentHashMap<>();
		return new ViewRows<>() {

			@Override
			public void apply(byte[] key, byte @Nullable [] value) {
				K deserialized = serde.deserializer().deserialize(null, key);
				if (deserialized == null) {
					return;
				}
				V row = (value != null) ? values.deserializer().deserialize(null, value) : null;
				if (row == null) {
					rows.remove(deserialized);
				}
				else {
					rows.put(deserialized, row);
				}
			}

			@Override
			public @Nullable V get(K key) {
				return rows.get(key);
			}

			@Override
			public long size() {
				return rows.size();
			}

			@Override
			public void forEach(BiConsumer<? super K, ? super V> action) {
				rows.forEach(action);
			}

			@Override
			public Map<K, V> range(K from, K to) {
				if (!(rows instanceof ConcurrentNavigableMap<K, V> sorted)) {
					throw notComparable(name);
				}
				return Collections.unmodifiableMap(sorted.subMap(from, true, to, false));
			}

		};
	}

	/**
	 * Rows kept serialized in a store (one partition of it), deserialized when read: a
	 * range reads every row.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the view's name, for errors
	 * @param keyType the key type
	 * @param keys the key serde
	 * @param values the value serde
	 * @param store the store, closed with the rows
	 * @return the rows
	 */
	static <K, V> ViewRows<K, V> stored(String name, Class<K> keyType, Serde<K> keys, Serde<V> values,
			TableStore store) {
		// A key lives in one partition of its table, so one partition of the store holds
		// every row.
		int all = 0;
		// Counted as rows come and go: a store's own count reads every row.
		AtomicLong size = new AtomicLong(store.size(all));
		return new ViewRows<>() {

			@Override
			public void apply(byte[] key, byte @Nullable [] value) {
				Bytes row = Bytes.wrap(key);
				boolean existed = store.get(all, row) != null;
				if (value == null) {
					if (existed) {
						store.delete(all, row);
						size.decrementAndGet();
					}
				}
				else {
					store.put(all, row, value);
					if (!existed) {
						size.incrementAndGet();
					}
				}
			}

			@Override
			public @Nullable V get(K key) {
				byte[] serialized = keys.serializer().serialize(null, key);
				byte[] value = (serialized != null) ? store.get(all, Bytes.wrap(serialized)) : null;
				return (value != null) ? values.deserializer().deserialize(null, value) : null;
			}

			@Override
			public long size() {
				return size.get();
			}

			@Override
			public void forEach(BiConsumer<? super K, ? super V> action) {
				store.forEach(all, (key, value) -> {
					K deserialized = keys.deserializer().deserialize(null, key.get());
					if (deserialized != null) {
						action.accept(deserialized, values.deserializer().deserialize(null, value));
					}
				});
			}

			@Override
			@SuppressWarnings("unchecked")
			public Map<K, V> range(K from, K to) {
				if (!Comparable.class.isAssignableFrom(keyType)) {
					throw notComparable(name);
				}
				Comparator<K> order = (a, b) -> ((Comparable<K>) a).compareTo(b);
				TreeMap<K, V> rows = new TreeMap<>(order);
				forEach((key, value) -> {
					if (order.compare(key, from) >= 0 && order.compare(key, to) < 0) {
						rows.put(key, value);
					}
				});
				return Collections.unmodifiableMap(rows);
			}

			@Override
			public void close() {
				store.close();
			}

		};
	}

	private static UnsupportedOperationException notComparable(String name) {
		return new UnsupportedOperationException("The keys of view '" + name + "' are not comparable");
	}

}
