package io.kafkaworker.annotation;

/**
 * The ordering contract of a worker: which records are handled one after another and
 * which run in parallel.
 */
public enum Mode {

	/**
	 * Use the configured default ({@code kafka.worker.defaults.mode}). Only meaningful on
	 * the annotation.
	 */
	DEFAULT,

	/**
	 * One record at a time for the whole worker, in poll order.
	 */
	SERIAL,

	/**
	 * Partitions in parallel; inside a partition one record at a time, in offset order.
	 */
	PARTITION,

	/**
	 * Keys in parallel, up to the worker's concurrency, whatever the partition count; for
	 * each key of a partition one record at a time, in offset order. Records with a null
	 * key are ordered per partition.
	 */
	KEY,

	/**
	 * Any order, up to the worker's concurrency at once.
	 */
	PARALLEL

}
