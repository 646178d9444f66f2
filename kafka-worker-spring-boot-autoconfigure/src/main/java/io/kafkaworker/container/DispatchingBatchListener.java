package io.kafkaworker.container;

import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The listener Spring Kafka calls on a consumer thread with each poll's records. It hands
 * them to the worker's engine and returns at once: handlers run on lane threads, so the
 * consumer keeps polling while they work.
 */
final class DispatchingBatchListener implements BatchMessageListener<Object, Object> {

	private final Worker worker;

	DispatchingBatchListener(Worker worker) {
		this.worker = worker;
	}

	@Override
	public void onMessage(ConsumerRecords<Object, Object> records, @Nullable Acknowledgment acknowledgment,
			Consumer<Object, Object> consumer) {
		this.worker.session(consumer).onRecords(records);
	}

	Worker worker() {
		return this.worker;
	}

	@Override
	public boolean wantsPollResult() {
		return true;
	}

	@Override
	public void onMessage(List<ConsumerRecord<Object, Object>> data) {
		throw new UnsupportedOperationException("The container passes the whole poll result to this listener");
	}

}
