package io.kafkaworker.commit;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Told about each commit attempt, for metrics.
 */
@FunctionalInterface
public interface CommitListener {

	/**
	 * A listener that does nothing.
	 */
	CommitListener NONE = (offsets, duration, failure) -> {
	};

	/**
	 * Called on the consumer thread after each commit attempt.
	 * @param offsets the offsets that were to be committed
	 * @param duration how long the attempt took
	 * @param failure the failure, or null if the commit succeeded
	 */
	void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Duration duration, @Nullable Exception failure);

}
