package io.kafkaworker.container;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PositionObserver}.
 */
class PositionObserverTests {

	private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

	/**
	 * A lane wakes the consumer thread for an exactly-once commit while it observes the
	 * positions, outside the poll: the wake-up must still interrupt the next poll, or the
	 * commit waits for the poll timeout.
	 */
	@Test
	void aWakeUpThatAnObservationSpentIsAskedForAgain() {
		MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()) {

			@Override
			public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions,
					Duration timeout) {
				throw new WakeupException();
			}

		};
		consumer.assign(List.of(PARTITION));
		consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
		consumer.pause(Set.of(PARTITION));

		new PositionObserver(consumer).observe(List.of(new PartitionOffsets(PARTITION)));

		assertThatExceptionOfType(WakeupException.class).isThrownBy(() -> consumer.poll(Duration.ZERO));
	}

}
