package io.kafkaworker.container;

import java.util.Collection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Keeps the worker's partition state in step with the group's assignment, then calls the
 * application's own rebalance listener, if one was configured on the container factory.
 */
final class WorkerRebalanceListener implements ConsumerAwareRebalanceListener {

	private final Worker worker;

	private final @Nullable ConsumerRebalanceListener delegate;

	WorkerRebalanceListener(Worker worker, @Nullable ConsumerRebalanceListener delegate) {
		this.worker = worker;
		this.delegate = delegate;
	}

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		ConsumerSession session = this.worker.session(consumer);
		session.assigned(partitions);
		if (this.delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsAssigned(consumer, partitions);
		}
		else if (this.delegate != null) {
			this.delegate.onPartitionsAssigned(partitions);
		}
		// After the application's listener, whose consumer calls a wake-up would fail.
		session.rearmSpentWakeUp();
	}

	@Override
	public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		this.worker.session(consumer).revoked(partitions);
		if (this.delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsRevokedBeforeCommit(consumer, partitions);
		}
		else if (this.delegate != null) {
			this.delegate.onPartitionsRevoked(partitions);
		}
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (this.delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsRevokedAfterCommit(consumer, partitions);
		}
		// The revocation's last callback: a wake-up a lane asked for meanwhile is sent
		// now.
		this.worker.session(consumer).rearmSpentWakeUp();
		this.worker.endSessionIfIdle(consumer);
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		ConsumerSession session = this.worker.session(consumer);
		session.lost(partitions);
		if (this.delegate instanceof ConsumerAwareRebalanceListener aware) {
			aware.onPartitionsLost(consumer, partitions);
		}
		else if (this.delegate != null) {
			this.delegate.onPartitionsLost(partitions);
		}
		session.rearmSpentWakeUp();
	}

}
