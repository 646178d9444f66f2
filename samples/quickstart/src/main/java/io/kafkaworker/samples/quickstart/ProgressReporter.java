package io.kafkaworker.samples.quickstart;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts the records the worker has processed and logs the count and rate every 5
 * seconds, with what the worker is doing right now: records in flight, partitions,
 * concurrency, frozen records. When a seeded run is complete, logs the elapsed time and
 * average rate since the first record.
 *
 * <p>
 * The count is also a Micrometer counter, {@code quickstart.records.processed}, which
 * {@code /actuator/prometheus} shows as {@code quickstart_records_processed_total}.
 */
@Component
class ProgressReporter {

	private static final Log logger = LogFactory.getLog(ProgressReporter.class);

	private static final long NOT_STARTED = Long.MIN_VALUE;

	private static final String WORKER_ID = "orders";

	private final WorkerRegistry workers;

	private final DemoProperties properties;

	private final Counter counter;

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong firstRecordNanos = new AtomicLong(NOT_STARTED);

	// Only the scheduler's thread uses these.

	private long lastReportCount;

	private long lastReportNanos = System.nanoTime();

	private double peakRate;

	ProgressReporter(WorkerRegistry workers, DemoProperties properties, MeterRegistry meterRegistry) {
		this.workers = workers;
		this.properties = properties;
		this.counter = Counter.builder("quickstart.records.processed")
			.description("Records the quickstart worker has processed")
			.register(meterRegistry);
	}

	/**
	 * Note that the worker has started a record.
	 */
	void recordStarted() {
		if (this.firstRecordNanos.get() == NOT_STARTED) {
			this.firstRecordNanos.compareAndSet(NOT_STARTED, System.nanoTime());
		}
	}

	/**
	 * Note that the worker has finished a record.
	 */
	void recordProcessed() {
		this.counter.increment();
		long count = this.processed.incrementAndGet();
		// demo.flaky records are processed too, once resumed; demo.fail records never
		// are.
		if (this.properties.seed() > 0 && count == this.properties.seed() + this.properties.flaky().size()) {
			logCompletion(count);
		}
	}

	/**
	 * Return the records processed so far.
	 * @return the count
	 */
	long processed() {
		return this.processed.get();
	}

	@Scheduled(fixedRate = 5, timeUnit = TimeUnit.SECONDS)
	void report() {
		long now = System.nanoTime();
		long count = this.processed.get();
		double seconds = (now - this.lastReportNanos) / 1e9;
		double rate = (count - this.lastReportCount) / seconds;
		boolean changed = count != this.lastReportCount;
		this.lastReportCount = count;
		this.lastReportNanos = now;
		if (!changed) {
			// Quiet while there is nothing to do.
			return;
		}
		this.peakRate = Math.max(this.peakRate, rate);
		logger.info(String.format("processed %,d records (%,.0f/s over the last %.0f s, %,.0f/s peak)%s", count, rate,
				seconds, this.peakRate, workerState()));
	}

	private String workerState() {
		WorkerView worker = this.workers.find(WORKER_ID);
		if (worker == null) {
			return "";
		}
		WorkerSnapshot snapshot = worker.snapshot();
		int frozen = snapshot.frozenRecords().size();
		return String.format("; now %d in flight on %d partitions, %,d buffered (concurrency %d)%s",
				snapshot.runningCalls(), snapshot.partitions().size(), snapshot.bufferedRecords(),
				snapshot.concurrency(), (frozen > 0) ? String.format("; %d frozen record%s, see /actuator/kafkaworkers",
						frozen, (frozen > 1) ? "s" : "") : "");
	}

	private void logCompletion(long count) {
		double seconds = (System.nanoTime() - this.firstRecordNanos.get()) / 1e9;
		WorkerView worker = this.workers.find(WORKER_ID);
		String limit = "";
		if (worker != null && this.properties.workMs() > 0) {
			int concurrency = worker.snapshot().concurrency();
			limit = String.format(" (limit with concurrency %d and %d ms of work per record: %,d/s)", concurrency,
					this.properties.workMs(), concurrency * 1000L / this.properties.workMs());
		}
		String message = "All %,d seeded records processed in %.2f s since the first record: %,.0f/s on average%s";
		logger.info(String.format(message, this.properties.seed(), seconds, count / seconds, limit));
	}

}
