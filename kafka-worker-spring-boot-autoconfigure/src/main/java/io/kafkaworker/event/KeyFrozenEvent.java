package io.kafkaworker.event;

import io.kafkaworker.runtime.FrozenRecord;

/**
 * A record's key froze: the worker stopped at the record after its retries failed, until
 * an operator resumes or skips it.
 */
public class KeyFrozenEvent extends FrozenEvent {

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param frozenRecord the record that froze
	 */
	public KeyFrozenEvent(Object source, String workerId, FrozenRecord frozenRecord) {
		super(source, workerId, frozenRecord);
	}

}
