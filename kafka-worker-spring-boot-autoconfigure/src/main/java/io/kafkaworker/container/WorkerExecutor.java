package io.kafkaworker.container;

import java.util.concurrent.Executor;

/**
 * The executor that runs a worker's lanes, with the action that shuts it down.
 *
 * @param executor runs lane calls
 * @param shutdown stops the executor; interrupts calls still running
 */
public record WorkerExecutor(Executor executor, Runnable shutdown) implements AutoCloseable {

	@Override
	public void close() {
		this.shutdown.run();
	}

}
