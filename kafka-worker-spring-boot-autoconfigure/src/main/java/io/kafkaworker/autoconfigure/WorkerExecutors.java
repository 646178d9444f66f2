package io.kafkaworker.autoconfigure;

import java.util.function.Function;

import io.kafkaworker.container.WorkerExecutor;
import io.kafkaworker.container.WorkerSettings;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Creates the executor of each worker's lanes with Spring's task executors: a virtual
 * thread per call when {@code spring.threads.virtual.enabled=true} on Java 21+, otherwise
 * a platform thread pool bounded by the worker's concurrency. The lane scheduler never
 * runs more calls than the concurrency, so neither executor queues for long.
 */
final class WorkerExecutors implements Function<WorkerSettings, WorkerExecutor> {

	private static final long TERMINATION_TIMEOUT_MILLIS = 5000;

	private final boolean virtualThreads;

	WorkerExecutors(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	@Override
	public WorkerExecutor apply(WorkerSettings settings) {
		String prefix = "kafka-worker-" + settings.id() + "-";
		if (this.virtualThreads) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(prefix);
			executor.setVirtualThreads(true);
			// Tracking threads lets close() interrupt calls still running at shutdown.
			executor.setTaskTerminationTimeout(TERMINATION_TIMEOUT_MILLIS);
			return new WorkerExecutor(executor, executor::close);
		}
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix(prefix);
		executor.setCorePoolSize(settings.concurrency());
		executor.setMaxPoolSize(settings.concurrency());
		executor.setAllowCoreThreadTimeOut(true);
		executor.setWaitForTasksToCompleteOnShutdown(false);
		executor.initialize();
		return new WorkerExecutor(executor, executor::shutdown);
	}

}
