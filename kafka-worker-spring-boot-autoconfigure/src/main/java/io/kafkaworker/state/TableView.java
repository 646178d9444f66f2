package io.kafkaworker.state;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A local, always-updated replica of a table topic (goka's view): every partition, read
 * outside any consumer group with {@code read_committed}, so it shows what the table's
 * writers committed. Configured with {@code kafka.worker.views.<name>.*}, each view is a
 * bean named after it; inject it to look rows up from any code (goka's lookup), such as
 * an HTTP controller or another worker's handler.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
public interface TableView<K, V> {

	/**
	 * Return the table topic the view replicates.
	 * @return the topic
	 */
	String topic();

	/**
	 * Return a row's value.
	 * @param key the key
	 * @return the value, or null if there is no such row
	 */
	@Nullable V get(K key);

	/**
	 * Return whether a row exists.
	 * @param key the key
	 * @return true if it does
	 */
	default boolean has(K key) {
		return get(key) != null;
	}

	/**
	 * Return how many rows the view holds.
	 * @return the number of rows
	 */
	long size();

	/**
	 * Call an action for every row, in key order when the keys are comparable.
	 * @param action the action
	 */
	void forEach(BiConsumer<? super K, ? super V> action);

	/**
	 * Return the rows whose keys are in a range, for comparable keys.
	 * @param from the lowest key, included
	 * @param to the highest key, excluded
	 * @return the rows, in key order
	 * @throws UnsupportedOperationException if the keys are not comparable
	 */
	Map<K, V> range(K from, K to);

	/**
	 * Return whether the view has read every partition up to where it stood when the view
	 * started: before that, rows may be missing or old.
	 * @return true once recovered
	 */
	boolean recovered();

	/**
	 * Wait until the view is {@link #recovered()}.
	 * @param timeout the longest wait
	 * @return true if recovered within the timeout
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitRecovered(Duration timeout) throws InterruptedException;

	/**
	 * Return how many records the view has still to read to catch up with the table.
	 * @return the lag, summed over the partitions
	 */
	long lag();

}
