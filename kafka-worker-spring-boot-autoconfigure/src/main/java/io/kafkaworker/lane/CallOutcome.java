package io.kafkaworker.lane;

/**
 * What a lane does after a call.
 */
public enum CallOutcome {

	/**
	 * The call's items are finished; the lane goes on with its next items.
	 */
	DONE,

	/**
	 * The call's items go back to the head of the lane and the lane starts no new call
	 * until it is released.
	 */
	HALT

}
