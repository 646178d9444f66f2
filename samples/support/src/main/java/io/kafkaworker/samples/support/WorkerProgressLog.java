package io.kafkaworker.samples.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;

/**
 * Logs where to look once a sample is ready, then a progress line per worker every
 * {@value #INTERVAL_SECONDS} seconds while anything changes: records handled, skipped and
 * dead-lettered (read from kafka-worker's {@code kafka.worker.records} meter, as
 * {@code /actuator/prometheus} shows it) and records committed (from the worker's
 * snapshot, as {@code /actuator/kafkaworkers} shows it), or for a share-group worker the
 * records it acknowledged ({@code kafka.worker.share.acknowledgements}). Once a worker
 * has committed every record of its partitions, one line says how long that took. Samples
 * get it from {@link DemoConfiguration}.
 */
public class WorkerProgressLog implements DisposableBean {

	private static final Log logger = LogFactory.getLog(WorkerProgressLog.class);

	private static final long INTERVAL_SECONDS = 2;

	private final WorkerRegistry workers;

	private final MeterRegistry meters;

	// One thread, which alone uses the maps below; closed with the context.
	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "worker-progress-log");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Progress> lastLogged = new HashMap<>();

	private final Map<String, Long> caughtUpAt = new HashMap<>();

	private long startedNanos;

	/**
	 * Create the log.
	 * @param workers the application's workers
	 * @param meters the registry holding kafka-worker's meters
	 */
	public WorkerProgressLog(WorkerRegistry workers, MeterRegistry meters) {
		this.workers = workers;
		this.meters = meters;
	}

	// Started before the application runners (which seed the demo records), so that the
	// first lines show the workers catching up with the seed.
	@EventListener(ApplicationStartedEvent.class)
	void start() {
		this.startedNanos = System.nanoTime();
		this.scheduler.scheduleWithFixedDelay(this::report, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
		String base = (port != null) ? "http://localhost:" + port : "";
		logger.info("Ready. Where to look: the progress lines below (every " + INTERVAL_SECONDS + " s); "
				+ "the workers, their partitions and committed offsets at " + base + "/actuator/kafkaworkers; "
				+ "their meters at " + base + "/actuator/prometheus (kafka_worker_*); readiness at " + base
				+ "/actuator/health/readiness");
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

	private void report() {
		try {
			for (WorkerView worker : this.workers.all()) {
				report(worker.snapshot());
			}
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: keep reporting.
			logger.warn("Could not report the workers' progress", ex);
		}
	}

	private void report(WorkerSnapshot worker) {
		Progress progress = progress(worker);
		if (progress.equals(this.lastLogged.put(worker.id(), progress))) {
			return;
		}
		logger.info(String.format("Worker '%s' (%s): %,d handled, %,d skipped, %,d dead-lettered; %s; %d in flight",
				worker.id(), worker.mode(), progress.handled(), progress.skipped(), progress.deadLettered(),
				settled(worker, progress), worker.inFlightRecords()));
		Long caughtUp = this.caughtUpAt.get(worker.id());
		if (progress.written() > 0 && progress.committed() >= progress.written()
				&& (caughtUp == null || caughtUp < progress.written())) {
			this.caughtUpAt.put(worker.id(), progress.written());
			logger.info(String.format(
					"Worker '%s' has committed all %,d records of its partitions, %.1f s after the "
							+ "application started",
					worker.id(), progress.written(),
					Duration.ofNanos(System.nanoTime() - this.startedNanos).toMillis() / 1000.0));
		}
	}

	// Where the records stand with the broker: committed offsets, or, for a share group
	// (no partitions of its own, no offsets), what the worker acknowledged.
	private static String settled(WorkerSnapshot worker, Progress progress) {
		if (!worker.partitions().isEmpty()) {
			return String.format("committed %,d of %,d records on %d partitions", progress.committed(),
					progress.written(), worker.partitions().size());
		}
		if (progress.accepted() + progress.released() > 0) {
			return String.format("share group: %,d accepted, %,d released", progress.accepted(), progress.released());
		}
		return "nothing committed or acknowledged yet";
	}

	private Progress progress(WorkerSnapshot worker) {
		long committed = 0;
		long written = 0;
		for (PartitionSnapshot partition : worker.partitions()) {
			// -1 while unknown. A new group reading from the beginning has committed as
			// many records as its committed offsets add up to.
			committed += Math.max(0, partition.committedOffset());
			written += Math.max(0, partition.endOffset());
		}
		return new Progress(count("kafka.worker.records", worker.id(), "outcome", "success"),
				count("kafka.worker.records", worker.id(), "outcome", "skipped"),
				count("kafka.worker.records", worker.id(), "outcome", "dead_lettered"), committed, written,
				count("kafka.worker.share.acknowledgements", worker.id(), "type", "ACCEPT"),
				count("kafka.worker.share.acknowledgements", worker.id(), "type", "RELEASE"));
	}

	private long count(String meter, String workerId, String tag, String value) {
		return (long) this.meters.find(meter)
			.tag("worker", workerId)
			.tag(tag, value)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private record Progress(long handled, long skipped, long deadLettered, long committed, long written, long accepted,
			long released) {

	}

}
