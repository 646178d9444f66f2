package io.kafkaworker.runtime;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Tells several observers, in order.
 */
public final class CompositeWorkerObserver implements WorkerObserver {

	private final List<WorkerObserver> observers;

	/**
	 * Create a composite.
	 * @param observers the observers
	 */
	public CompositeWorkerObserver(List<WorkerObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	/**
	 * Return one observer for a list: the single one, a composite, or one that ignores
	 * everything.
	 * @param observers the observers
	 * @return the observer to give the engine
	 */
	public static WorkerObserver of(List<WorkerObserver> observers) {
		if (observers.isEmpty()) {
			return WorkerObserver.NONE;
		}
		return (observers.size() == 1) ? observers.get(0) : new CompositeWorkerObserver(observers);
	}

	@Override
	public void recordsHandled(String workerId, String topic, RecordOutcome outcome, int records) {
		for (WorkerObserver observer : this.observers) {
			observer.recordsHandled(workerId, topic, outcome, records);
		}
	}

	@Override
	public void handlerCalled(String workerId, String topic, int records, Duration duration, boolean success) {
		for (WorkerObserver observer : this.observers) {
			observer.handlerCalled(workerId, topic, records, duration, success);
		}
	}

	@Override
	public void attemptStarted(String workerId, List<ConsumerRecord<?, ?>> records, int attempt) {
		for (WorkerObserver observer : this.observers) {
			observer.attemptStarted(workerId, records, attempt);
		}
	}

	@Override
	public void attemptEnded(String workerId, List<ConsumerRecord<?, ?>> records, int attempt,
			@Nullable Throwable failure) {
		for (WorkerObserver observer : this.observers) {
			observer.attemptEnded(workerId, records, attempt, failure);
		}
	}

	@Override
	public void committed(String workerId, boolean success, Duration duration) {
		for (WorkerObserver observer : this.observers) {
			observer.committed(workerId, success, duration);
		}
	}

	@Override
	public void tableRestored(String workerId, int partitions, long records, Duration duration) {
		for (WorkerObserver observer : this.observers) {
			observer.tableRestored(workerId, partitions, records, duration);
		}
	}

	@Override
	public void rebalanced(String workerId, RebalanceChange change, int partitions) {
		for (WorkerObserver observer : this.observers) {
			observer.rebalanced(workerId, change, partitions);
		}
	}

	@Override
	public void shareAcknowledged(String workerId, String topic, String type, int deliveryCount) {
		for (WorkerObserver observer : this.observers) {
			observer.shareAcknowledged(workerId, topic, type, deliveryCount);
		}
	}

	@Override
	public void shareLocksRenewed(String workerId, int records) {
		for (WorkerObserver observer : this.observers) {
			observer.shareLocksRenewed(workerId, records);
		}
	}

}
