package io.kafkaworker.state;

import org.jspecify.annotations.Nullable;

/**
 * The row of a worker's group table addressed by the key of the record being handled, as
 * goka's processor context gives it. Declare it as the second parameter of a
 * {@code @KafkaBatchWorker} method of a KEY-mode worker:
 *
 * <pre class="code">
 * &#064;KafkaBatchWorker(topics = "clicks", mode = Mode.KEY)
 * public void count(ConsumerRecord&lt;String, Click&gt; click, TableRow&lt;Long&gt; clicks) {
 *     clicks.set(clicks.getOrDefault(0L) + 1);
 * }
 * </pre>
 *
 * KEY mode runs a key's records one at a time, in order, so a row has one writer. A
 * change is written to the table when the handler returns normally, and is lost if it
 * throws: with AT_LEAST_ONCE the record completes only once the table acknowledged the
 * write; with EXACTLY_ONCE the write joins the transaction of the record's outputs and
 * offsets. Valid only during the handler call it was given to.
 *
 * @param <V> the type of the table's values
 */
public interface TableRow<V> {

	/**
	 * Return the key of the row: the record's key.
	 * @return the key
	 */
	@Nullable Object key();

	/**
	 * Return the row's value, including a change made earlier in this call.
	 * @return the value, or null if the row does not exist
	 */
	@Nullable V get();

	/**
	 * Return the row's value, or a default when the row does not exist.
	 * @param defaultValue the value to return for a missing row
	 * @return the value or the default
	 */
	default V getOrDefault(V defaultValue) {
		V value = get();
		return (value != null) ? value : defaultValue;
	}

	/**
	 * Return whether the row exists.
	 * @return true if it has a value
	 */
	default boolean exists() {
		return get() != null;
	}

	/**
	 * Set the row's value, written when the handler returns.
	 * @param value the new value
	 */
	void set(V value);

	/**
	 * Delete the row (a tombstone in the table), written when the handler returns.
	 */
	void delete();

}
