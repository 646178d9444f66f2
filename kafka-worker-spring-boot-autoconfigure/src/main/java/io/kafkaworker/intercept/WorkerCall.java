package io.kafkaworker.intercept;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One attempt of a handler call, as interceptors see it.
 *
 * @param workerId the worker
 * @param records the records of the call: one for a single-record handler
 * @param attempt the attempt, from 1
 */
public record WorkerCall(String workerId, List<ConsumerRecord<?, ?>> records, int attempt) {

	/**
	 * Create a call.
	 */
	public WorkerCall {
		records = List.copyOf(records);
	}

}
