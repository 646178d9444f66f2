package io.kafkaworker.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of every worker. Counters and timers follow what the engine reports through
 * {@link WorkerObserver}; gauges read the workers' snapshots, cached for a moment so that
 * one scrape does not build a snapshot per gauge. Nothing here is stored in the engine's
 * state classes.
 *
 * <p>
 * Meters, all tagged {@code worker}, with their base unit where they count something:
 * <ul>
 * <li>{@code kafka.worker.records} (counter, records; {@code topic}, {@code outcome}:
 * success, failure, retry, skipped, dead_lettered)</li>
 * <li>{@code kafka.worker.record.duration} (timer; {@code topic}, {@code outcome}:
 * success, failure): handler time per call. Like any Micrometer timer it publishes no
 * histogram unless the application asks for one, for example with Spring Boot's
 * {@code management.metrics.distribution.percentiles-histogram.kafka.worker.record.duration=true}</li>
 * <li>{@code kafka.worker.batch.size} (distribution summary, records): records per
 * handler call</li>
 * <li>{@code kafka.worker.in.flight}, {@code kafka.worker.buffered} (gauges, records) and
 * {@code kafka.worker.frozen.partitions} (gauge, partitions)</li>
 * <li>{@code kafka.worker.lag} (gauge, records; {@code topic}, {@code partition}): log
 * end minus committed offset</li>
 * <li>{@code kafka.worker.commits} (counter; {@code result}: success, failure) and
 * {@code kafka.worker.commit.duration} (timer)</li>
 * <li>{@code kafka.worker.rebalances} (counter; {@code change}: assigned, revoked,
 * lost)</li>
 * </ul>
 */
public class KafkaWorkerMetrics implements MeterBinder, WorkerObserver {

	private static final String RECORDS = "records";

	private static final String PARTITIONS = "partitions";

	private static final long SNAPSHOT_TTL_NANOS = Duration.ofMillis(500).toNanos();

	private final WorkerRegistry workers;

	private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

	private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

	private final Map<MeterKey, DistributionSummary> batchSizes = new ConcurrentHashMap<>();

	// Tag values of the outcomes, by ordinal.
	private static final String[] OUTCOMES = Arrays.stream(RecordOutcome.values())
		.map((outcome) -> outcome.name().toLowerCase(Locale.ROOT))
		.toArray(String[]::new);

	private final Map<String, Map<String, CallMeters>> callMeters = new ConcurrentHashMap<>();

	private final Map<String, MultiGauge> lagGauges = new ConcurrentHashMap<>();

	private final Map<String, CachedSnapshot> snapshots = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	/**
	 * Create the metrics of the application's workers.
	 * @param workers the workers
	 */
	public KafkaWorkerMetrics(WorkerRegistry workers) {
		this.workers = workers;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		// Workers are created when Spring Kafka registers listener containers, which may
		// happen after this binder is bound: gauges of later workers follow.
		this.workers.onRegistration((worker) -> registerGauges(registry, worker));
	}

	private void registerGauges(MeterRegistry registry, WorkerView worker) {
		String id = worker.id();
		Tags tags = Tags.of("worker", id);
		Gauge.builder("kafka.worker.in.flight", this, (metrics) -> metrics.snapshot(worker).inFlightRecords())
			.tags(tags)
			.baseUnit(RECORDS)
			.description("Records inside handler calls")
			.register(registry);
		Gauge.builder("kafka.worker.buffered", this, (metrics) -> metrics.snapshot(worker).bufferedRecords())
			.tags(tags)
			.baseUnit(RECORDS)
			.description("Records fetched and waiting for a handler")
			.register(registry);
		Gauge.builder("kafka.worker.frozen.partitions", this, (metrics) -> metrics.snapshot(worker).frozenPartitions())
			.tags(tags)
			.baseUnit(PARTITIONS)
			.description("Partitions with a frozen record")
			.register(registry);
		this.lagGauges.computeIfAbsent(id,
				(key) -> MultiGauge.builder("kafka.worker.lag")
					.tags(tags)
					.baseUnit(RECORDS)
					.description("Records between the committed offset and the log end, per partition")
					.register(registry));
		refreshLag(worker);
	}

	@Override
	public void recordsHandled(String workerId, String topic, RecordOutcome outcome, int records) {
		Counter counter = callMeters(workerId, topic).records(outcome);
		if (counter != null) {
			counter.increment(records);
		}
	}

	@Override
	public void handlerCalled(String workerId, String topic, int records, Duration duration, boolean success) {
		CallMeters meters = callMeters(workerId, topic);
		Timer timer = meters.duration(success);
		if (timer != null) {
			timer.record(duration);
		}
		DistributionSummary batchSize = meters.batchSize();
		if (batchSize != null) {
			batchSize.record(records);
		}
	}

	// Two lookups by strings whose hashes are cached: looking the meters up by a new
	// MeterKey per call (and a lower-cased outcome name per record) was a tenth of the
	// lane threads' CPU samples at zero work (P2), where a call is often one record.
	private CallMeters callMeters(String workerId, String topic) {
		Map<String, CallMeters> byTopic = this.callMeters.get(workerId);
		if (byTopic == null) {
			byTopic = this.callMeters.computeIfAbsent(workerId, (key) -> new ConcurrentHashMap<>());
		}
		CallMeters meters = byTopic.get(topic);
		return (meters != null) ? meters : byTopic.computeIfAbsent(topic, (key) -> new CallMeters(workerId, topic));
	}

	@Override
	public void committed(String workerId, boolean success, Duration duration) {
		String result = success ? "success" : "failure";
		Counter commits = meter(this.counters, new MeterKey("commits", workerId, "", result),
				(registry) -> Counter.builder("kafka.worker.commits")
					.tags("worker", workerId, "result", result)
					.description("Offset commits by result")
					.register(registry));
		if (commits != null) {
			commits.increment();
		}
		Timer timer = meter(this.timers, new MeterKey("commit", workerId, "", ""),
				(registry) -> Timer.builder("kafka.worker.commit.duration")
					.tags("worker", workerId)
					.description("Time an offset commit takes")
					.register(registry));
		if (timer != null) {
			timer.record(duration);
		}
	}

	@Override
	public void tableRestored(String workerId, int partitions, long records, Duration duration) {
		Counter restored = meter(this.counters, new MeterKey("table-restore", workerId, "", ""),
				(registry) -> Counter.builder("kafka.worker.table.restored")
					.tags("worker", workerId)
					.baseUnit("records")
					.description("Group table records read to restore assigned partitions")
					.register(registry));
		if (restored != null) {
			restored.increment(records);
		}
		Timer timer = meter(this.timers, new MeterKey("table-restore", workerId, "", ""),
				(registry) -> Timer.builder("kafka.worker.table.restore.duration")
					.tags("worker", workerId)
					.description("Time a restore of assigned group table partitions takes, records wait meanwhile")
					.register(registry));
		if (timer != null) {
			timer.record(duration);
		}
	}

	@Override
	public void shareAcknowledged(String workerId, String topic, String type, int deliveryCount) {
		Counter acknowledged = meter(this.counters, new MeterKey("share-ack", workerId, topic, type),
				(registry) -> Counter.builder("kafka.worker.share.acknowledgements")
					.tags("worker", workerId, "topic", topic, "type", type)
					.description("Records a share-group worker acknowledged, by type")
					.register(registry));
		if (acknowledged != null) {
			acknowledged.increment();
		}
		DistributionSummary deliveries = meter(this.batchSizes, new MeterKey("share-delivery", workerId, "", ""),
				(registry) -> DistributionSummary.builder("kafka.worker.share.delivery.count")
					.tags("worker", workerId)
					.description("Delivery count of the records a share-group worker acknowledged, 1 for the first")
					.register(registry));
		if (deliveries != null) {
			deliveries.record(deliveryCount);
		}
	}

	@Override
	public void shareLocksRenewed(String workerId, int records) {
		Counter renewed = meter(this.counters, new MeterKey("share-renew", workerId, "", ""),
				(registry) -> Counter.builder("kafka.worker.share.renewals")
					.tags("worker", workerId)
					.baseUnit(RECORDS)
					.description("Acquisition locks a share-group worker renewed for records still running")
					.register(registry));
		if (renewed != null) {
			renewed.increment(records);
		}
	}

	@Override
	public void rebalanced(String workerId, RebalanceChange change, int partitions) {
		String name = change.name().toLowerCase(Locale.ROOT);
		Counter counter = meter(this.counters, new MeterKey("rebalances", workerId, "", name),
				(registry) -> Counter.builder("kafka.worker.rebalances")
					.tags("worker", workerId, "change", name)
					.description("Partition assignments, revocations and losses")
					.register(registry));
		if (counter != null) {
			counter.increment();
		}
		WorkerView worker = this.workers.find(workerId);
		if (worker != null) {
			this.snapshots.remove(workerId);
			refreshLag(worker);
		}
	}

	// The partitions a worker holds change on rebalances: the lag rows follow them.
	private void refreshLag(WorkerView worker) {
		MultiGauge lag = this.lagGauges.get(worker.id());
		if (lag == null) {
			return;
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (PartitionSnapshot partition : worker.snapshot().partitions()) {
			String topic = partition.topic();
			int number = partition.partition();
			rows.add(MultiGauge.Row.of(Tags.of("topic", topic, "partition", Integer.toString(number)), this,
					(metrics) -> metrics.lag(worker, topic, number)));
		}
		lag.register(rows, true);
	}

	private double lag(WorkerView worker, String topic, int partition) {
		for (PartitionSnapshot snapshot : snapshot(worker).partitions()) {
			if (snapshot.partition() == partition && snapshot.topic().equals(topic)) {
				return (snapshot.lag() >= 0) ? snapshot.lag() : Double.NaN;
			}
		}
		return Double.NaN;
	}

	private WorkerSnapshot snapshot(WorkerView worker) {
		long now = System.nanoTime();
		CachedSnapshot cached = this.snapshots.get(worker.id());
		if (cached == null || now - cached.takenAt > SNAPSHOT_TTL_NANOS) {
			cached = new CachedSnapshot(worker.snapshot(), now);
			this.snapshots.put(worker.id(), cached);
		}
		return cached.snapshot;
	}

	private <M> @Nullable M meter(Map<MeterKey, M> cache, MeterKey key, Function<MeterRegistry, M> create) {
		MeterRegistry current = this.registry;
		if (current == null) {
			return null;
		}
		M meter = cache.get(key);
		return (meter != null) ? meter : cache.computeIfAbsent(key, (ignored) -> create.apply(current));
	}

	private record MeterKey(String meter, String worker, String topic, String tag) {
	}

	/**
	 * The meters a worker updates on every call for one topic, each found once through
	 * {@link #meter} (where every meter is created) and kept: none is created before its
	 * first use, so an outcome that never happened publishes no series.
	 */
	private final class CallMeters {

		private final String workerId;

		private final String topic;

		private final AtomicReferenceArray<Counter> records = new AtomicReferenceArray<>(OUTCOMES.length);

		private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(2);

		private volatile @Nullable DistributionSummary batchSize;

		CallMeters(String workerId, String topic) {
			this.workerId = workerId;
			this.topic = topic;
		}

		@Nullable Counter records(RecordOutcome outcome) {
			Counter counter = this.records.get(outcome.ordinal());
			if (counter == null) {
				String name = OUTCOMES[outcome.ordinal()];
				counter = meter(KafkaWorkerMetrics.this.counters,
						new MeterKey("records", this.workerId, this.topic, name),
						(registry) -> Counter.builder("kafka.worker.records")
							.tags("worker", this.workerId, "topic", this.topic, "outcome", name)
							.baseUnit(RECORDS)
							.description("Records by outcome")
							.register(registry));
				if (counter != null) {
					this.records.set(outcome.ordinal(), counter);
				}
			}
			return counter;
		}

		@Nullable Timer duration(boolean success) {
			int index = success ? 0 : 1;
			Timer timer = this.durations.get(index);
			if (timer == null) {
				String outcome = success ? "success" : "failure";
				timer = meter(KafkaWorkerMetrics.this.timers, new MeterKey("call", this.workerId, this.topic, outcome),
						(registry) -> Timer.builder("kafka.worker.record.duration")
							.tags("worker", this.workerId, "topic", this.topic, "outcome", outcome)
							.description("Time spent in the handler per call")
							.register(registry));
				if (timer != null) {
					this.durations.set(index, timer);
				}
			}
			return timer;
		}

		@Nullable DistributionSummary batchSize() {
			DistributionSummary summary = this.batchSize;
			if (summary == null) {
				summary = meter(KafkaWorkerMetrics.this.batchSizes, new MeterKey("batch", this.workerId, "", ""),
						(registry) -> DistributionSummary.builder("kafka.worker.batch.size")
							.tags("worker", this.workerId)
							.baseUnit(RECORDS)
							.description("Records per handler call")
							.register(registry));
				this.batchSize = summary;
			}
			return summary;
		}

	}

	private record CachedSnapshot(WorkerSnapshot snapshot, long takenAt) {
	}

}
