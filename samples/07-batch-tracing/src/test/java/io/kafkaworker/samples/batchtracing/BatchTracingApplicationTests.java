package io.kafkaworker.samples.batchtracing;

import java.time.Duration;
import java.util.List;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as it runs with no arguments, on kafka-worker-test's broker (with a smaller
 * seed), its spans exported to memory instead of over OTLP: one span per lane-batch call,
 * linked to the trace of each of its records, and the worker's meters counting the calls
 * and their records.
 */
@SpringBootTest(properties = { "demo.seed=" + BatchTracingApplicationTests.RECORDS, "demo.work-ms=5",
		// Export finished spans within 100 ms instead of 5 s.
		"management.opentelemetry.tracing.export.schedule-delay=100ms" })
@EmbeddedKafkaWorkerTest
class BatchTracingApplicationTests {

	static final int RECORDS = 600;

	private static final AttributeKey<String> WORKER = AttributeKey.stringKey("kafka.worker.id");

	private static final AttributeKey<String> BATCH_COUNT = AttributeKey.stringKey("messaging.batch.message_count");

	@Autowired
	private InMemorySpanExporter spans;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private DemoStore store;

	@Test
	void everyBatchCallIsOneSpanLinkedToItsRecordsTracesAndIsCounted(KafkaWorkerTestSupport kafka) {
		kafka.awaitCommitted("telemetry", BatchTracingApplication.TOPIC);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(batchSpans().stream().mapToLong(this::count).sum()).isEqualTo(RECORDS));
		List<SpanData> batches = batchSpans();
		List<Saved> saved = this.store.saved();
		assertThat(saved).hasSize(RECORDS).extracting(Saved::position).doesNotHaveDuplicates();
		// Lane-batches: more than one record per call, at most batch-size.
		assertThat(batches.size()).isLessThan(RECORDS);

		for (SpanData batch : batches) {
			assertThat(batch.getKind()).isEqualTo(SpanKind.CONSUMER);
			assertThat(batch.getName()).isEqualTo("process " + BatchTracingApplication.TOPIC);
			assertThat(count(batch)).isBetween(1L, 100L);
			assertThat(batch.getLinks()).hasSize((int) count(batch));
		}
		// Each seeded record's trace began with the seeder's send, whose context the
		// record carried: the links point at exactly those sends.
		List<String> sends = this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == SpanKind.PRODUCER)
			.filter((span) -> span.getName().startsWith(BatchTracingApplication.TOPIC))
			.map((span) -> id(span.getSpanContext()))
			.toList();
		assertThat(sends).hasSize(RECORDS);
		List<String> links = batches.stream()
			.flatMap((batch) -> batch.getLinks().stream())
			.map(LinkData::getSpanContext)
			.map(BatchTracingApplicationTests::id)
			.toList();
		assertThat(links).containsExactlyInAnyOrderElementsOf(sends);

		// The worker's meters: one handler call per span, every record counted.
		DistributionSummary batchSize = this.meters.get("kafka.worker.batch.size").tag("worker", "telemetry").summary();
		assertThat(batchSize.count()).isEqualTo(batches.size());
		assertThat(batchSize.totalAmount()).isEqualTo(RECORDS);
		Timer duration = this.meters.get("kafka.worker.record.duration")
			.tags("worker", "telemetry", "outcome", "success")
			.timer();
		assertThat(duration.count()).isEqualTo(batches.size());
		assertThat(this.meters.get("kafka.worker.records")
			.tags("worker", "telemetry", "outcome", "success")
			.counter()
			.count()).isEqualTo(RECORDS);
	}

	private List<SpanData> batchSpans() {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> "telemetry".equals(span.getAttributes().get(WORKER)))
			.toList();
	}

	private long count(SpanData span) {
		String count = span.getAttributes().get(BATCH_COUNT);
		return (count != null) ? Long.parseLong(count) : 0;
	}

	private static String id(SpanContext context) {
		return context.getTraceId() + "/" + context.getSpanId();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemorySpans {

		// Spring Boot's OpenTelemetry configuration exports to every SpanExporter bean.
		@Bean
		InMemorySpanExporter spanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
