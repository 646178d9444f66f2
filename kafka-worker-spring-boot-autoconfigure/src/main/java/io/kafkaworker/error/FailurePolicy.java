package io.kafkaworker.error;

/**
 * What a worker does with a record whose handler still fails after its retries.
 */
public enum FailurePolicy {

	/**
	 * Stop at the record: its partition (or, with {@link FreezeScope#KEY}, its key) waits
	 * until an operator resumes or skips it. The committed offset stays at the record,
	 * and a frozen partition is paused at the consumer.
	 */
	FREEZE,

	/**
	 * Publish the record to a dead-letter topic, with headers describing the failure, and
	 * go on.
	 */
	DEAD_LETTER,

	/**
	 * Log the record's coordinates and the failure at ERROR and go on.
	 */
	SKIP,

	/**
	 * Stop the worker. The committed offset stays at the record, so a restarted worker
	 * begins with it.
	 */
	STOP

}
