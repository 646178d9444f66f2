package io.kafkaworker.autoconfigure;

import java.util.Set;
import java.util.TreeSet;

import io.kafkaworker.container.ReaderSettings;
import io.kafkaworker.container.Worker;
import io.kafkaworker.event.ReaderFinishedEvent;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Ends a backfill job: once every reader with {@code reader.exit-when-done} reached its
 * end, the application context closes (a graceful shutdown of everything else) and the
 * JVM exits with the context's exit code, 0 unless an {@code ExitCodeGenerator} says
 * otherwise.
 */
final class ReaderExit implements ApplicationListener<ReaderFinishedEvent> {

	private static final Log logger = LogFactory.getLog(ReaderExit.class);

	private final ConfigurableApplicationContext context;

	private final WorkerRegistry registry;

	private final Set<String> finished = new TreeSet<>();

	private boolean exiting;

	ReaderExit(ConfigurableApplicationContext context, WorkerRegistry registry) {
		this.context = context;
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ReaderFinishedEvent event) {
		Set<String> exitingReaders = exitingReaders();
		synchronized (this.finished) {
			if (!exitingReaders.contains(event.getWorkerId())) {
				return;
			}
			this.finished.add(event.getWorkerId());
			if (this.exiting || !this.finished.containsAll(exitingReaders)) {
				return;
			}
			this.exiting = true;
		}
		logger.info("Every reader with exit-when-done reached its end; the application exits");
		// Not on the reader's consumer thread: closing the context stops its container,
		// which waits for that thread.
		Thread exit = new Thread(() -> System.exit(SpringApplication.exit(this.context)), "kafka-worker-exit");
		exit.setDaemon(false);
		exit.start();
	}

	// The readers whose settings (properties or @Reader) ask for the exit.
	private Set<String> exitingReaders() {
		Set<String> readers = new TreeSet<>();
		for (WorkerView view : this.registry.all()) {
			if (view instanceof Worker worker) {
				ReaderSettings reader = worker.settings().reader();
				if (reader != null && reader.exitWhenDone()) {
					readers.add(worker.id());
				}
			}
		}
		return readers;
	}

}
