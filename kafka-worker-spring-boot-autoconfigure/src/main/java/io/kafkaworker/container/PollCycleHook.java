package io.kafkaworker.container;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import org.springframework.kafka.listener.BatchInterceptor;

/**
 * Runs the worker's periodic duties on the consumer thread before every poll, including
 * polls that return nothing: Spring Kafka calls a batch interceptor's
 * {@link #setupThreadState} before each poll. This is what makes commits happen when no
 * new records arrive, without an idle-event listener or a second thread touching the
 * consumer. Records pass through unchanged.
 */
final class PollCycleHook implements BatchInterceptor<Object, Object> {

	private final Worker worker;

	PollCycleHook(Worker worker) {
		this.worker = worker;
	}

	@Override
	public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
			Consumer<Object, Object> consumer) {
		return records;
	}

	@Override
	public void setupThreadState(Consumer<?, ?> consumer) {
		this.worker.beforePoll(consumer);
	}

}
