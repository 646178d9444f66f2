package io.kafkaworker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The workers of the application, by id, for metrics, health and the actuator endpoint.
 */
public final class WorkerRegistry {

	private final Map<String, WorkerView> workers = new ConcurrentSkipListMap<>();

	private final List<Consumer<WorkerView>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Add a worker.
	 * @param worker the worker
	 * @throws IllegalStateException if a worker with the same id exists
	 */
	public void register(WorkerView worker) {
		WorkerView previous = this.workers.putIfAbsent(worker.id(), worker);
		if (previous != null && previous != worker) {
			throw new IllegalStateException("A worker with id '" + worker.id() + "' is already registered");
		}
		if (previous == null) {
			for (Consumer<WorkerView> listener : this.listeners) {
				listener.accept(worker);
			}
		}
	}

	/**
	 * Call a listener for every worker registered so far and every worker registered
	 * later.
	 * @param listener the listener
	 */
	public void onRegistration(Consumer<WorkerView> listener) {
		this.listeners.add(listener);
		for (WorkerView worker : all()) {
			listener.accept(worker);
		}
	}

	/**
	 * Return a worker.
	 * @param id the worker id
	 * @return the worker, or null if none has this id
	 */
	public @Nullable WorkerView find(String id) {
		return this.workers.get(id);
	}

	/**
	 * Return every worker, sorted by id.
	 * @return the workers
	 */
	public List<WorkerView> all() {
		return new ArrayList<>(this.workers.values());
	}

	/**
	 * Return a snapshot of every worker, sorted by id.
	 * @return the snapshots
	 */
	public List<WorkerSnapshot> snapshots() {
		return all().stream().map(WorkerView::snapshot).toList();
	}

}
