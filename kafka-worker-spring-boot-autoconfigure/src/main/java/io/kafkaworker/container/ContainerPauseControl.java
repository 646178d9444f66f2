package io.kafkaworker.container;

import io.kafkaworker.dispatch.Backpressure;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Pauses and resumes partitions through Spring Kafka's container API, which takes effect
 * on the consumer thread around the next poll and wakes a polling consumer on resume.
 * Using the container rather than the consumer keeps the container's own bookkeeping
 * right: it re-pauses a partition reassigned to the same consumer and does not resume our
 * partitions when a paused container is resumed.
 */
final class ContainerPauseControl implements Backpressure.PauseControl {

	private volatile @Nullable MessageListenerContainer container;

	void attach(MessageListenerContainer container) {
		this.container = container;
	}

	@Override
	public void pause(TopicPartition partition) {
		MessageListenerContainer current = this.container;
		if (current != null) {
			current.pausePartition(partition);
		}
	}

	@Override
	public void resume(TopicPartition partition) {
		MessageListenerContainer current = this.container;
		if (current != null) {
			current.resumePartition(partition);
		}
	}

}
