package io.kafkaworker.lane;

/**
 * Which of the lanes waiting for a free slot gets the next one.
 */
public enum ReadyOrder {

	/**
	 * The lane that has waited longest. A lane whose call finished goes to the back, so
	 * one busy lane cannot starve the others: for items whose effects count as soon as
	 * each one finishes.
	 */
	ARRIVAL,

	/**
	 * The lane with the most items waiting, the one that waited longest among equals: for
	 * a bounded batch of items that counts only once every one of them finished (an
	 * exactly-once unit), which this order tends to end sooner. An exclusive lane's items
	 * run one after another, so the batch cannot end before its deepest lane; started
	 * first, that lane runs while the shallow ones fill the other slots. (With equal call
	 * times and every lane known from the start, longest-remaining-chain-first is the
	 * shortest possible schedule for chains of unit-time tasks, Hu 1961; lanes submitted
	 * in parts get the slots that are free when they arrive.) A deep lane may take the
	 * slot again while shallow lanes wait, so this order does not suit an unbounded
	 * stream.
	 */
	DEEPEST_FIRST

}
