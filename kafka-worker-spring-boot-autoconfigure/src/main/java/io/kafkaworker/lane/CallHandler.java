package io.kafkaworker.lane;

import java.util.List;

/**
 * Handles the items of one call, on an executor thread.
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

}
