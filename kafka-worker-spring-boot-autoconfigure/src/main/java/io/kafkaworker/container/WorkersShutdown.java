package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Shuts every worker down gracefully when the application context stops or closes, in a
 * lifecycle phase before Spring Kafka stops its listener containers: the workers drain,
 * commit and leave their groups here, in parallel, so the containers find nothing left to
 * do. Spring's lifecycle processor waits for this phase up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
public class WorkersShutdown implements SmartLifecycle {

	/**
	 * The phase: stopped before the listener containers' phase.
	 */
	public static final int PHASE = AbstractMessageListenerContainer.DEFAULT_PHASE + 50;

	private static final Log logger = LogFactory.getLog(WorkersShutdown.class);

	private final WorkerRegistry workers;

	private final DrainMode drain;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * Create the shutdown of the application's workers.
	 * @param workers the workers
	 * @param drain which records to finish
	 * @param timeout the longest time a worker's shutdown may take
	 */
	public WorkersShutdown(WorkerRegistry workers, DrainMode drain, Duration timeout) {
		this.workers = workers;
		this.drain = drain;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		shutdownAll().join();
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		shutdownAll().whenComplete((result, failure) -> {
			this.running = false;
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private CompletableFuture<Void> shutdownAll() {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("kafka-worker-shutdown-");
		List<CompletableFuture<Void>> shutdowns = new ArrayList<>();
		for (WorkerView view : this.workers.all()) {
			if (view instanceof Worker worker) {
				shutdowns.add(CompletableFuture.runAsync(() -> shutdown(worker), executor));
			}
		}
		return CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new));
	}

	private void shutdown(Worker worker) {
		try {
			worker.shutdown(this.drain, this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.error("Worker '" + worker.id() + "' failed to shut down gracefully; its listener container "
					+ "stops it next", ex);
		}
	}

}
