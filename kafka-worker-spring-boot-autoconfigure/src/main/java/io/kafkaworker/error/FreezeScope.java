package io.kafkaworker.error;

/**
 * What a {@link FailurePolicy#FREEZE freeze} stops.
 */
public enum FreezeScope {

	/**
	 * The whole partition of the failed record: nothing after it runs, and the partition
	 * is paused at the consumer.
	 */
	PARTITION,

	/**
	 * Only the failed record's key (KEY mode): the partition's other keys keep flowing.
	 * Records that arrive for the frozen key wait behind it, up to a bound, past which
	 * the partition is paused too. In other modes a KEY freeze behaves like PARTITION.
	 */
	KEY

}
