package io.kafkaworker.chaos.worker;

import java.util.concurrent.ExecutionException;

import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * What one handling leaves behind, as chosen by {@code chaos.effect}: {@code send} (an
 * output record through a plain {@code KafkaTemplate}, waiting for the broker's
 * acknowledgement), {@code transactional} (an output record through the worker's
 * {@code TransactionalSender}, committed with the offsets) or {@code row} (a row of
 * {@code chaos_effects}, in the JDBC inbox's transaction). Output records are keyed by
 * the input key, so one key's effects stay in one output partition, in handling order.
 */
@Component
public class Effect {

	private final String kind;

	private final String output;

	private final ObjectProvider<KafkaTemplate<String, String>> templates;

	private final ObjectProvider<TransactionalSender> senders;

	private final ObjectProvider<JdbcTemplate> jdbc;

	Effect(@Value("${chaos.effect:send}") String kind, @Value("${chaos.output:}") String output,
			ObjectProvider<KafkaTemplate<String, String>> templates, ObjectProvider<TransactionalSender> senders,
			ObjectProvider<JdbcTemplate> jdbc) {
		this.kind = kind;
		this.output = output;
		this.templates = templates;
		this.senders = senders;
		this.jdbc = jdbc;
	}

	void apply(ConsumerRecord<String, String> record, String line) {
		switch (this.kind) {
			case "send" -> send(record.key(), line);
			case "transactional" -> this.senders.getObject().send(this.output, record.key(), line);
			case "row" -> this.jdbc.getObject()
				.update("insert into chaos_effects (line) values (?)", record.key() + "," + line);
			default -> throw new IllegalStateException("Unknown chaos.effect " + this.kind);
		}
	}

	private void send(String key, String line) {
		try {
			this.templates.getObject().send(this.output, key, line).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Send failed", ex.getCause());
		}
	}

}
