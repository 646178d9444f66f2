package io.kafkaworker.container;

/**
 * Which records a graceful shutdown finishes before its final commit.
 */
public enum DrainMode {

	/**
	 * Finish the records inside handler calls, and the fetched records below the highest
	 * finished offset of each partition, so that the final commit covers every record
	 * that was handled: nothing is handled twice after restart. Other fetched records are
	 * redelivered after restart.
	 */
	IN_FLIGHT,

	/**
	 * Finish every fetched record.
	 */
	ALL

}
