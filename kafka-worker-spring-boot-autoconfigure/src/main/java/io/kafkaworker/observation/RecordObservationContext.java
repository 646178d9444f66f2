package io.kafkaworker.observation;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * The observation context of one record's handling. A receiver context whose carrier is
 * the record, so that a tracing handler continues the trace of the record's headers (W3C
 * {@code traceparent}, or whatever propagation the application configures) and opens a
 * CONSUMER span.
 */
public class RecordObservationContext extends ReceiverContext<ConsumerRecord<?, ?>> implements WorkerCallContext {

	private final String workerId;

	private final String groupId;

	private final ConsumerRecord<?, ?> record;

	/**
	 * Create the context of one record's handling.
	 * @param workerId the worker
	 * @param groupId its consumer group
	 * @param record the record
	 */
	public RecordObservationContext(String workerId, String groupId, ConsumerRecord<?, ?> record) {
		super(RecordObservationContext::lastHeader, Kind.CONSUMER);
		this.workerId = workerId;
		this.groupId = groupId;
		this.record = record;
		setCarrier(record);
		setRemoteServiceName("Apache Kafka");
	}

	@Override
	public String getWorkerId() {
		return this.workerId;
	}

	@Override
	public String getGroupId() {
		return this.groupId;
	}

	/**
	 * Return the record.
	 * @return the record
	 */
	public ConsumerRecord<?, ?> getRecord() {
		return this.record;
	}

	@Override
	public List<ConsumerRecord<?, ?>> getRecords() {
		return List.of(this.record);
	}

	// Propagation headers are text; the last one wins, as Spring Kafka reads them.
	private static @Nullable String lastHeader(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
