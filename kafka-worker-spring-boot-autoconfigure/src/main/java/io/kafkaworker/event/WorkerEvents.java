package io.kafkaworker.event;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a worker's application events. A listener that throws is logged and does not
 * disturb the worker.
 */
public final class WorkerEvents {

	private static final Log logger = LogFactory.getLog(WorkerEvents.class);

	private final @Nullable ApplicationEventPublisher publisher;

	private volatile Object source = this;

	/**
	 * Create the events of one worker.
	 * @param publisher the application's publisher, or null to publish nothing
	 */
	public WorkerEvents(@Nullable ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Set the source of the events, the worker.
	 * @param source the source
	 */
	public void setSource(Object source) {
		this.source = source;
	}

	/**
	 * Return the source of the events.
	 * @return the source
	 */
	public Object source() {
		return this.source;
	}

	/**
	 * Publish an event; a listener that throws is logged.
	 * @param event the event
	 */
	public void publish(ApplicationEvent event) {
		if (this.publisher != null) {
			try {
				this.publisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of " + event.getClass().getSimpleName() + " failed", ex);
			}
		}
	}

}
