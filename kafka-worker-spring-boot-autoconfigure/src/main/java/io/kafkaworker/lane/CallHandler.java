package io.kafkaworker.lane;

import java.util.List;

/**
 * Handles the items of one call, on an executor thread. A thread runs calls one after
 * another, possibly of different lanes, until no lane is ready; then the scheduler
 * reports {@link #runEnded()} on that thread before the thread goes back to the executor.
 *
 * @param <T> the type of work item
 */
@FunctionalInterface
public interface CallHandler<T> {

	/**
	 * Handle the items of one call. Implementations classify failures themselves; an
	 * exception escaping this method halts the lane.
	 * @param items the items of one lane, in lane order
	 * @return {@link CallOutcome#DONE} to go on with the lane, or
	 * {@link CallOutcome#HALT} to put the items back at the head of the lane and halt it
	 */
	CallOutcome handle(List<T> items);

	/**
	 * Called on an executor thread after the last call of its run, before the thread goes
	 * back to the executor: what the handler kept on the thread across calls (its log
	 * context, for one) must not outlive the run.
	 */
	default void runEnded() {
	}

}
