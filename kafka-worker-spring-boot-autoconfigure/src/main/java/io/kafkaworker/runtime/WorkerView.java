package io.kafkaworker.runtime;

/**
 * A running worker, as the read model sees it.
 */
public interface WorkerView {

	/**
	 * Return the worker id.
	 * @return the id
	 */
	String id();

	/**
	 * Return the worker's state now.
	 * @return a consistent-enough snapshot; each partition is read atomically
	 */
	WorkerSnapshot snapshot();

}
