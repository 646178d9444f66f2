package io.kafkaworker.test.example;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Handles orders by key; fails every attempt for the key {@code poison}.
 */
@Component
public class OrderHandler {

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@KafkaBatchWorker(id = "orders", topics = "${app.orders-topic}", mode = Mode.KEY)
	public void handle(ConsumerRecord<String, String> record) {
		if ("poison".equals(record.key())) {
			throw new IllegalStateException("Cannot handle order " + record.value());
		}
		this.handled.add(record.value());
	}

	public List<String> handled() {
		return this.handled;
	}

}
