package io.kafkaworker.event;

import io.kafkaworker.runtime.FrozenRecord;

/**
 * Base class of freeze events: which record froze or was released, and its partition or
 * key.
 */
public abstract class FrozenEvent extends KafkaWorkerEvent {

	private final FrozenRecord frozenRecord;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param frozenRecord the record that froze
	 */
	protected FrozenEvent(Object source, String workerId, FrozenRecord frozenRecord) {
		super(source, workerId);
		this.frozenRecord = frozenRecord;
	}

	/**
	 * Return the record that froze, with its coordinates and failure.
	 * @return the frozen record
	 */
	public FrozenRecord getFrozenRecord() {
		return this.frozenRecord;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[worker=" + getWorkerId() + ", " + this.frozenRecord + "]";
	}

}
