package io.kafkaworker.event;

import io.kafkaworker.runtime.FrozenRecord;

/**
 * A frozen key was released.
 */
public class KeyUnfrozenEvent extends FrozenEvent {

	private final Resolution resolution;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param frozenRecord the record that had frozen
	 * @param resolution how it was released
	 */
	public KeyUnfrozenEvent(Object source, String workerId, FrozenRecord frozenRecord, Resolution resolution) {
		super(source, workerId, frozenRecord);
		this.resolution = resolution;
	}

	/**
	 * Return how the freeze ended.
	 * @return the resolution
	 */
	public Resolution getResolution() {
		return this.resolution;
	}

}
