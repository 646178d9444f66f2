package io.kafkaworker.event;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of the events a worker publishes. Events are published synchronously on the
 * thread where they happen (a consumer thread for rebalances, a lane thread for failures,
 * the caller for operator actions), so listeners should be quick or hand off.
 */
public abstract class KafkaWorkerEvent extends ApplicationEvent {

	private final String workerId;

	/**
	 * Create an event.
	 * @param source the worker that publishes it
	 * @param workerId the worker's id
	 */
	protected KafkaWorkerEvent(Object source, String workerId) {
		super(source);
		this.workerId = workerId;
	}

	/**
	 * Return the id of the worker the event is about.
	 * @return the worker id
	 */
	public String getWorkerId() {
		return this.workerId;
	}

}
