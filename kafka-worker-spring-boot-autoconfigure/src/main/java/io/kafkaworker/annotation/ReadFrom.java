package io.kafkaworker.annotation;

/**
 * Where a reader starts.
 */
public enum ReadFrom {

	/**
	 * At each partition's first record.
	 */
	EARLIEST,

	/**
	 * At each partition's end: only records written after the reader started.
	 */
	LATEST,

	/**
	 * At each partition's first record at or after a time (its end when there is none).
	 */
	TIMESTAMP,

	/**
	 * At an offset per partition.
	 */
	OFFSETS

}
