package io.kafkaworker.observation;

import java.util.List;

import io.micrometer.observation.Observation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The observation context of one lane-batch call. It has no single parent: with tracing,
 * {@link BatchLinksTracingObservationHandler} starts its span linked to the trace of each
 * record.
 */
public class BatchObservationContext extends Observation.Context implements WorkerCallContext {

	private final String workerId;

	private final String groupId;

	private final List<ConsumerRecord<?, ?>> records;

	/**
	 * Create the context of one lane-batch call.
	 * @param workerId the worker
	 * @param groupId its consumer group
	 * @param records the call's records
	 */
	public BatchObservationContext(String workerId, String groupId, List<ConsumerRecord<?, ?>> records) {
		this.workerId = workerId;
		this.groupId = groupId;
		this.records = List.copyOf(records);
	}

	@Override
	public String getWorkerId() {
		return this.workerId;
	}

	@Override
	public String getGroupId() {
		return this.groupId;
	}

	@Override
	public List<ConsumerRecord<?, ?>> getRecords() {
		return this.records;
	}

}
