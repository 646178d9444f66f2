package io.kafkaworker.observation;

import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Creates the observation of each handler call: one per record for a single-record
 * handler, one per call for a lane-batch handler.
 */
public final class CallObservations {

	/**
	 * Observes nothing.
	 */
	public static final CallObservations NONE = new CallObservations(ObservationRegistry.NOOP, null);

	private final ObservationRegistry registry;

	private final @Nullable KafkaWorkerObservationConvention convention;

	/**
	 * Create observations in a registry.
	 * @param registry the registry, whose handlers trace and time the observations
	 * @param convention the application's convention, or null for the default
	 */
	public CallObservations(ObservationRegistry registry, @Nullable KafkaWorkerObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * Create and start the observation of a call; the caller opens its scope around the
	 * handler and stops it when the call's outcome is settled.
	 * @param workerId the worker
	 * @param groupId the worker's consumer group
	 * @param records the call's records
	 * @param batch whether the handler is a lane-batch handler
	 * @return the started observation, a no-op one when nothing observes
	 */
	public Observation start(String workerId, String groupId, List<ConsumerRecord<?, ?>> records, boolean batch) {
		if (this.registry.isNoop()) {
			return Observation.NOOP;
		}
		KafkaWorkerObservation documentation = batch ? KafkaWorkerObservation.BATCH : KafkaWorkerObservation.RECORD;
		Observation.Context context = batch ? new BatchObservationContext(workerId, groupId, records)
				: new RecordObservationContext(workerId, groupId, records.get(0));
		return documentation
			.observation(this.convention, DefaultKafkaWorkerObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
	}

}
