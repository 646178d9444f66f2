package io.kafkaworker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observations of a worker's handler calls and chooses their key values. A bean
 * of this type replaces {@link DefaultKafkaWorkerObservationConvention} (extend that one
 * to add keys).
 */
public interface KafkaWorkerObservationConvention extends ObservationConvention<Observation.Context> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof WorkerCallContext;
	}

}
