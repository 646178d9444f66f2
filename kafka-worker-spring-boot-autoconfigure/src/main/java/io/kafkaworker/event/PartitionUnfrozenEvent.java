package io.kafkaworker.event;

import io.kafkaworker.runtime.FrozenRecord;

/**
 * A frozen partition was released.
 */
public class PartitionUnfrozenEvent extends FrozenEvent {

	private final Resolution resolution;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param frozenRecord the record that had frozen
	 * @param resolution how it was released
	 */
	public PartitionUnfrozenEvent(Object source, String workerId, FrozenRecord frozenRecord, Resolution resolution) {
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
