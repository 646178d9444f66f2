package io.kafkaworker.event;

/**
 * How a freeze ended.
 */
public enum Resolution {

	/**
	 * An operator resumed it: the frozen record is tried again.
	 */
	RESUMED,

	/**
	 * The retry-after delay passed: the frozen record is tried again.
	 */
	RETRIED_AFTER_DELAY,

	/**
	 * An operator skipped the frozen record.
	 */
	SKIPPED,

	/**
	 * An operator skipped the frozen record to the dead-letter topic.
	 */
	SKIPPED_TO_DEAD_LETTER,

	/**
	 * The partition was revoked or lost; its next owner starts again at the frozen
	 * record.
	 */
	REVOKED,

	/**
	 * An operator moved the partition's position; fetching starts again from there.
	 */
	SEEK

}
