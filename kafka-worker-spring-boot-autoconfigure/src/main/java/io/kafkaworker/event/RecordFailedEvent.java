package io.kafkaworker.event;

import io.kafkaworker.error.FailurePolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record's handler still failed after its retries; the worker's failure policy is
 * applied next.
 */
public class RecordFailedEvent extends KafkaWorkerEvent {

	private final ConsumerRecord<?, ?> record;

	private final Throwable failure;

	private final int attempts;

	private final FailurePolicy policy;

	/**
	 * Create an event.
	 * @param source the worker
	 * @param workerId the worker's id
	 * @param record the record
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @param policy what the worker does now
	 */
	public RecordFailedEvent(Object source, String workerId, ConsumerRecord<?, ?> record, Throwable failure,
			int attempts, FailurePolicy policy) {
		super(source, workerId);
		this.record = record;
		this.failure = failure;
		this.attempts = attempts;
		this.policy = policy;
	}

	/**
	 * Return the record.
	 * @return the record
	 */
	public ConsumerRecord<?, ?> getRecord() {
		return this.record;
	}

	/**
	 * Return the last failure.
	 * @return the failure
	 */
	public Throwable getFailure() {
		return this.failure;
	}

	/**
	 * Return how many times the handler was called for the record.
	 * @return the attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Return what the worker does with the record now.
	 * @return the failure policy
	 */
	public FailurePolicy getPolicy() {
		return this.policy;
	}

	@Override
	public String toString() {
		return "RecordFailedEvent[worker=" + getWorkerId() + ", record=" + this.record.topic() + "-"
				+ this.record.partition() + "@" + this.record.offset() + ", attempts=" + this.attempts + ", policy="
				+ this.policy + ", failure=" + this.failure + "]";
	}

}
