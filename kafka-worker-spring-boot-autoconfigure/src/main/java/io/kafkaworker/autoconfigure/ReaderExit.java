package io.kafkaworker.autoconfigure;

import java.util.Set;
import java.util.TreeSet;

import io.kafkaworker.event.ReaderFinishedEvent;
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

	private final Set<String> waitingFor;

	ReaderExit(ConfigurableApplicationContext context, KafkaWorkerProperties properties) {
		this.context = context;
		this.waitingFor = new TreeSet<>();
		properties.getWorkers().forEach((id, worker) -> {
			if (worker.getReader().isEnabled() && worker.getReader().isExitWhenDone()) {
				this.waitingFor.add(id);
			}
		});
	}

	@Override
	public void onApplicationEvent(ReaderFinishedEvent event) {
		synchronized (this.waitingFor) {
			if (!this.waitingFor.remove(event.getWorkerId()) || !this.waitingFor.isEmpty()) {
				return;
			}
		}
		logger.info("Every reader with exit-when-done reached its end; the application exits");
		// Not on the reader's consumer thread: closing the context stops its container,
		// which waits for that thread.
		Thread exit = new Thread(() -> System.exit(SpringApplication.exit(this.context)), "kafka-worker-exit");
		exit.setDaemon(false);
		exit.start();
	}

}
