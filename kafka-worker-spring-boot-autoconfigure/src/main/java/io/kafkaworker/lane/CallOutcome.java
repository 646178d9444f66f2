package io.kafkaworker.lane;

import org.jspecify.annotations.Nullable;

/**
 * What a lane does after a call.
 */
public final class CallOutcome {

	/**
	 * The call's items are finished; the lane goes on with its next items.
	 */
	public static final CallOutcome DONE = new CallOutcome(false, false, 0, null);

	/**
	 * The call's items go back to the head of the lane and the lane starts no new call
	 * until it is released.
	 */
	public static final CallOutcome HALT = new CallOutcome(true, true, 0, null);

	private final boolean putBack;

	private final boolean halt;

	private final int fromIndex;

	private final @Nullable Runnable onHalted;

	private CallOutcome(boolean putBack, boolean halt, int fromIndex, @Nullable Runnable onHalted) {
		this.putBack = putBack;
		this.halt = halt;
		this.fromIndex = fromIndex;
		this.onHalted = onHalted;
	}

	/**
	 * Halt the lane like {@link #HALT}, then run an action once the lane is halted with
	 * the items back at its head, so that whoever is told about the halt (an operator
	 * resuming it, say) finds the lane in that state.
	 * @param onHalted runs on the lane thread after the scheduler halted the lane
	 * @return the outcome
	 */
	public static CallOutcome haltThen(Runnable onHalted) {
		return new CallOutcome(true, true, 0, onHalted);
	}

	/**
	 * Put the call's items from an index back at the head of the lane, unhandled, without
	 * halting it: they became held while the call ran earlier items.
	 * @param index the first item to put back
	 * @return the outcome
	 */
	public static CallOutcome putBackFrom(int index) {
		return new CallOutcome(true, false, index, null);
	}

	/**
	 * Return this outcome for a call whose first {@code index} items finished before the
	 * item this outcome is about: a halt then puts back only the items from that index.
	 * @param index the position of the item this outcome is about within the call
	 * @return the outcome for the whole call
	 */
	public CallOutcome from(int index) {
		return (this.putBack && index != this.fromIndex) ? new CallOutcome(true, this.halt, index, this.onHalted)
				: this;
	}

	/**
	 * Return whether items go back to the head of the lane.
	 * @return true for halting and put-back outcomes
	 */
	public boolean isPutBack() {
		return this.putBack;
	}

	/**
	 * Return where the items that go back to the lane start.
	 * @return the index of the first item of the call that goes back to the lane
	 */
	public int fromIndex() {
		return this.fromIndex;
	}

	/**
	 * Return whether the lane halts.
	 * @return true for a halting outcome
	 */
	public boolean isHalt() {
		return this.halt;
	}

	/**
	 * Return the action to run once the lane is halted.
	 * @return the action, or null
	 */
	public @Nullable Runnable onHalted() {
		return this.onHalted;
	}

	@Override
	public String toString() {
		return this.halt ? "HALT" : this.putBack ? "PUT_BACK" : "DONE";
	}

}
