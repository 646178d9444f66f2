package io.kafkaworker.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import io.kafkaworker.runtime.WorkerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerMetrics}' per-call meters: each worker, topic and outcome
 * has its own series, created on first use only, and a call reported before the binder
 * was bound is not counted later.
 */
class KafkaWorkerMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final KafkaWorkerMetrics metrics = new KafkaWorkerMetrics(new WorkerRegistry());

	@Test
	void countsRecordsByWorkerTopicAndOutcome() {
		this.metrics.recordsHandled("orders", "orders", RecordOutcome.SUCCESS, 1);
		this.metrics.bindTo(this.registry);
		this.metrics.recordsHandled("orders", "orders", RecordOutcome.SUCCESS, 3);
		this.metrics.recordsHandled("orders", "orders", RecordOutcome.SUCCESS, 2);
		this.metrics.recordsHandled("orders", "orders", RecordOutcome.DEAD_LETTERED, 1);
		this.metrics.recordsHandled("orders", "refunds", RecordOutcome.SUCCESS, 4);
		this.metrics.recordsHandled("billing", "orders", RecordOutcome.SUCCESS, 7);
		assertThat(records("orders", "orders", "success")).isEqualTo(5);
		assertThat(records("orders", "orders", "dead_lettered")).isEqualTo(1);
		assertThat(records("orders", "refunds", "success")).isEqualTo(4);
		assertThat(records("billing", "orders", "success")).isEqualTo(7);
		assertThat(this.registry.find("kafka.worker.records").tag("outcome", "failure").counter())
			.as("an outcome that never happened has no series")
			.isNull();
	}

	@Test
	void timesCallsByOutcomeAndSummarisesTheirSizesPerWorker() {
		this.metrics.bindTo(this.registry);
		this.metrics.handlerCalled("orders", "orders", 1, Duration.ofMillis(3), true);
		this.metrics.handlerCalled("orders", "orders", 5, Duration.ofMillis(7), true);
		this.metrics.handlerCalled("orders", "orders", 2, Duration.ofMillis(11), false);
		this.metrics.handlerCalled("orders", "refunds", 4, Duration.ofMillis(1), true);
		assertThat(this.registry.get("kafka.worker.record.duration")
			.tags("worker", "orders", "topic", "orders", "outcome", "success")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("kafka.worker.record.duration")
			.tags("worker", "orders", "topic", "orders", "outcome", "failure")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(11);
		assertThat(this.registry.get("kafka.worker.record.duration")
			.tags("worker", "orders", "topic", "refunds", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("kafka.worker.batch.size").tags("worker", "orders").summary().totalAmount())
			.isEqualTo(12);
	}

	private double records(String worker, String topic, String outcome) {
		return this.registry.get("kafka.worker.records")
			.tags("worker", worker, "topic", topic, "outcome", outcome)
			.counter()
			.count();
	}

}
