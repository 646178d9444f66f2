package io.kafkaworker.container;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a worker's application events. A listener that throws is logged and does not
 * disturb the worker.
 */
final class WorkerEvents {

	private static final Log logger = LogFactory.getLog(WorkerEvents.class);

	private final @Nullable ApplicationEventPublisher publisher;

	private volatile Object source = this;

	WorkerEvents(@Nullable ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	void setSource(Object source) {
		this.source = source;
	}

	Object source() {
		return this.source;
	}

	void publish(ApplicationEvent event) {
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
