package io.kafkaworker.transaction;

import java.util.BitSet;

/**
 * Hands out the transactional ids of one worker's consumers: the prefix, the worker id
 * and the lowest free consumer slot. Reusing the lowest slot keeps the ids stable across
 * restarts of an instance (so a restarted instance's {@code initTransactions} aborts what
 * its predecessor left open, instead of read_committed consumers waiting for the
 * transaction timeout), while two live consumers never share an id.
 */
public final class TransactionalIds {

	private final String base;

	private final BitSet taken = new BitSet();

	/**
	 * Create the ids of one worker.
	 * @param prefix the application instance's prefix
	 * @param workerId the worker id
	 */
	public TransactionalIds(String prefix, String workerId) {
		this.base = prefix + workerId + "-";
	}

	/**
	 * Take the lowest free slot.
	 * @return the slot
	 */
	public synchronized int acquire() {
		int slot = this.taken.nextClearBit(0);
		this.taken.set(slot);
		return slot;
	}

	/**
	 * Give a slot back.
	 * @param slot the slot
	 */
	public synchronized void release(int slot) {
		this.taken.clear(slot);
	}

	/**
	 * Return the transactional id of a slot.
	 * @param slot the slot
	 * @return the id
	 */
	public String idOf(int slot) {
		return this.base + slot;
	}

}
