package io.kafkaworker.integration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces and log context of handler calls on a real broker, with Spring Boot's
 * OpenTelemetry tracing: records arrive with W3C {@code traceparent} headers of known
 * (random) traces, and every span is checked against them, in memory and as it leaves
 * over OTLP/HTTP to a receiver on localhost.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

	private static final int RECORDS = 24;

	private static final int BATCH_RECORDS = 12;

	private final Random random = new Random();

	private final InMemorySpanExporter spans = InMemorySpanExporter.create();

	private final Handled handled = new Handled();

	private final List<byte[]> otlpRequests = new CopyOnWriteArrayList<>();

	private HttpServer otlpReceiver;

	private String topic;

	private String batchTopic;

	private String outputTopic;

	@BeforeEach
	void setUp() throws IOException {
		this.topic = Broker.uniqueName("traced");
		this.batchTopic = Broker.uniqueName("traced-batch");
		this.outputTopic = Broker.uniqueName("traced-out");
		Broker.createTopic(this.topic, 2);
		Broker.createTopic(this.batchTopic, 1);
		Broker.createTopic(this.outputTopic, 1);
		this.otlpReceiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.otlpReceiver.createContext("/v1/traces", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				byte[] bytes = body.readAllBytes();
				boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
				this.otlpRequests
					.add(gzip ? new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes() : bytes);
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.otlpReceiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.otlpReceiver.stop(0);
	}

	@Test
	void everyRecordGetsAConsumerSpanParentedFromItsTraceparentAndTheRecordsCoordinatesInTheMdc(CapturedOutput output) {
		Map<String, Sent> sent = new ConcurrentHashMap<>();
		List<Sent> sentToBatch = new ArrayList<>();
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < RECORDS; i++) {
				String value = (i == 5) ? "fail:" + i : (i == 9) ? "flaky:" + i : "ok:" + i;
				// every fourth record has no key: its MDC must not keep another record's
				// key
				String key = (i % 4 == 3) ? null : "key-" + (i % 3);
				Sent record = send(producer, this.topic, i % 2, key, value);
				sent.put(offsetKey(record.partition, record.offset), record);
			}
			for (int i = 0; i < BATCH_RECORDS; i++) {
				sentToBatch.add(send(producer, this.batchTopic, 0, "batch-key", "ok:" + i));
			}
		}
		try (ConfigurableApplicationContext context = start()) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordSpans()).hasSize(RECORDS));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(batchSpans().stream().mapToLong(this::batchCount).sum())
					.isEqualTo(BATCH_RECORDS));

			for (SpanData span : recordSpans()) {
				long partition = Long.parseLong(attribute(span, "messaging.destination.partition.id"));
				long offset = Long.parseLong(attribute(span, "messaging.kafka.offset"));
				Sent record = sent.get(offsetKey((int) partition, offset));
				assertThat(record).as("the record of span %s", span).isNotNull();
				// parentage: the record's producer span, from its traceparent header
				assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
				assertThat(span.getTraceId()).isEqualTo(record.traceId);
				assertThat(span.getParentSpanId()).isEqualTo(record.spanId);
				assertThat(span.getName()).isEqualTo("process " + this.topic);
				assertThat(attribute(span, "messaging.system")).isEqualTo("kafka");
				assertThat(attribute(span, "messaging.operation.type")).isEqualTo("process");
				assertThat(attribute(span, "messaging.destination.name")).isEqualTo(this.topic);
				assertThat(attribute(span, "messaging.consumer.group.name")).isEqualTo(this.topic + "-group");
				assertThat(attribute(span, "kafka.worker.id")).isEqualTo("traced");
				assertThat(attribute(span, "messaging.kafka.message.key")).isEqualTo(record.key);

				// the span is current while the handler runs, and in its MDC
				Seen seen = this.handled.lastSeen.get(offsetKey((int) partition, offset));
				assertThat(seen).isNotNull();
				assertThat(seen.spanId).isEqualTo(span.getSpanId());
				assertThat(seen.mdc).containsEntry("traceId", record.traceId)
					.containsEntry("spanId", span.getSpanId())
					.containsEntry("kafka.worker", "traced")
					.containsEntry("kafka.topic", this.topic)
					.containsEntry("kafka.partition", String.valueOf(partition))
					.containsEntry("kafka.offset", String.valueOf(offset));
				if (record.key != null) {
					assertThat(seen.mdc).containsEntry("kafka.key", record.key);
				}
				else {
					assertThat(seen.mdc).doesNotContainKey("kafka.key");
				}

				if (record.value.startsWith("fail:")) {
					// exhausted retries: the failure is the span's error
					assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
					assertThat(span.getEvents()).extracting(EventData::getName)
						.contains("exception")
						.filteredOn((name) -> name.startsWith("attempt "))
						.hasSize(2);
				}
				else if (record.value.startsWith("flaky:")) {
					// a retry that succeeds leaves only its event
					assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
					assertThat(span.getEvents()).extracting(EventData::getName)
						.singleElement()
						.asString()
						.startsWith("attempt 1 of 3 failed (java.lang.IllegalStateException: flaky");
				}
				else {
					assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
					assertThat(span.getEvents()).isEmpty();
					// the handler's KafkaTemplate send nests under the record's span
					assertThat(producerSpans()).anySatisfy((send) -> {
						assertThat(send.getTraceId()).isEqualTo(record.traceId);
						assertThat(send.getParentSpanId()).isEqualTo(span.getSpanId());
					});
				}
			}

			// lane-batch calls: one span per call, linked to each record's producer span
			List<LinkData> links = new ArrayList<>();
			for (SpanData span : batchSpans()) {
				assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
				assertThat(span.getName()).isEqualTo("process " + this.batchTopic);
				assertThat(span.getParentSpanContext().isValid()).isFalse();
				assertThat(attribute(span, "messaging.destination.partition.id")).isEqualTo("0");
				assertThat(attribute(span, "messaging.kafka.message.key")).isEqualTo("batch-key");
				assertThat(span.getLinks()).hasSize((int) batchCount(span));
				links.addAll(span.getLinks());
			}
			assertThat(links)
				.extracting((link) -> link.getSpanContext().getTraceId() + "/" + link.getSpanContext().getSpanId())
				.containsExactlyInAnyOrderElementsOf(
						sentToBatch.stream().map((record) -> record.traceId + "/" + record.spanId).toList());

			// spans leave over OTLP/HTTP to the receiver
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				String received = new String(concat(this.otlpRequests), StandardCharsets.ISO_8859_1);
				assertThat(received).contains("process " + this.topic)
					.contains(new String(HexFormat.of().parseHex(sent.values().iterator().next().traceId),
							StandardCharsets.ISO_8859_1));
			});
		}

		// Spring Boot's structured logging shows the MDC of the handler's log lines
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("\"handling ok:0\""))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("\"kafka.worker\":\"traced\"")
			.contains("\"kafka.topic\":\"" + this.topic + "\"")
			.contains("\"kafka.offset\":")
			.contains("\"traceId\":\"" + sent.values()
				.stream()
				.filter((record) -> record.value.equals("ok:0"))
				.findFirst()
				.orElseThrow().traceId + "\"");
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(TracedApp.class).web(WebApplicationType.NONE).initializers((context) -> {
			context.getBeanFactory().registerSingleton("spanExporter", this.spans);
			context.getBeanFactory().registerSingleton("handled", this.handled);
		})
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--kafka.worker.observation.enabled=true",
					"--spring.kafka.template.observation-enabled=true", "--test.topic=" + this.topic,
					"--test.batch-topic=" + this.batchTopic, "--test.output-topic=" + this.outputTopic,
					"--kafka.worker.workers.traced.group-id=" + this.topic + "-group",
					"--kafka.worker.workers.traced.retry.max-attempts=3",
					"--kafka.worker.workers.traced.retry.backoff.initial=10ms",
					"--kafka.worker.workers.traced.on-failure=skip",
					"--kafka.worker.workers.batched.group-id=" + this.batchTopic + "-group",
					"--kafka.worker.workers.batched.batch-size=5", "--management.tracing.sampling.probability=1.0",
					"--management.opentelemetry.tracing.export.schedule-delay=100ms",
					"--management.opentelemetry.tracing.export.otlp.endpoint=http://localhost:"
							+ this.otlpReceiver.getAddress().getPort() + "/v1/traces",
					"--logging.structured.format.console=logstash");
	}

	private Sent send(KafkaProducer<String, String> producer, String topic, int partition, String key, String value) {
		String traceId = HexFormat.of().formatHex(randomBytes(16));
		String spanId = HexFormat.of().formatHex(randomBytes(8));
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, value);
		record.headers().add("traceparent", ("00-" + traceId + "-" + spanId + "-01").getBytes(StandardCharsets.UTF_8));
		try {
			long offset = producer.send(record).get().offset();
			return new Sent(partition, offset, key, value, traceId, spanId);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private List<SpanData> recordSpans() {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> this.topic.equals(attribute(span, "messaging.destination.name"))
					&& "traced".equals(attribute(span, "kafka.worker.id")))
			.toList();
	}

	private List<SpanData> batchSpans() {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> "batched".equals(attribute(span, "kafka.worker.id")))
			.toList();
	}

	private List<SpanData> producerSpans() {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == SpanKind.PRODUCER)
			.toList();
	}

	private long batchCount(SpanData span) {
		return Long.parseLong(Objects.requireNonNull(attribute(span, "messaging.batch.message_count")));
	}

	private static String attribute(SpanData span, String name) {
		return span.getAttributes().get(AttributeKey.stringKey(name));
	}

	private static String offsetKey(int partition, long offset) {
		return partition + "@" + offset;
	}

	private static byte[] concat(List<byte[]> chunks) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		chunks.forEach(all::writeBytes);
		return all.toByteArray();
	}

	record Sent(int partition, long offset, String key, String value, String traceId, String spanId) {
	}

	record Seen(String spanId, Map<String, String> mdc) {
	}

	static class Handled {

		private final Map<String, Seen> lastSeen = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TracedApp {

		@Bean
		TracedWorker tracedWorker(Handled handled, Tracer tracer, KafkaTemplate<Object, Object> template,
				@Value("${test.output-topic}") String outputTopic) {
			return new TracedWorker(handled, tracer, template, outputTopic);
		}

	}

	public static class TracedWorker {

		private static final Log logger = LogFactory.getLog(TracedWorker.class);

		private final Handled handled;

		private final Tracer tracer;

		private final KafkaTemplate<Object, Object> template;

		private final String outputTopic;

		TracedWorker(Handled handled, Tracer tracer, KafkaTemplate<Object, Object> template, String outputTopic) {
			this.handled = handled;
			this.tracer = tracer;
			this.template = template;
			this.outputTopic = outputTopic;
		}

		@KafkaBatchWorker(id = "traced", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) throws Exception {
			Span current = this.tracer.currentSpan();
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			this.handled.lastSeen.put(offsetKey(record.partition(), record.offset()),
					new Seen((current != null) ? current.context().spanId() : "none", (mdc != null) ? mdc : Map.of()));
			int attempt = this.handled.attempts
				.computeIfAbsent(offsetKey(record.partition(), record.offset()), (key) -> new AtomicInteger())
				.incrementAndGet();
			if (record.value().startsWith("fail:") || (record.value().startsWith("flaky:") && attempt == 1)) {
				throw new IllegalStateException(record.value().substring(0, record.value().indexOf(':')));
			}
			logger.info("handling " + record.value());
			this.template.send(this.outputTopic, record.value()).get();
		}

		@KafkaBatchWorker(id = "batched", topics = "${test.batch-topic}", mode = Mode.PARTITION)
		public void handleBatch(List<ConsumerRecord<String, String>> records) {
			logger.info("handling a batch of " + records.size());
		}

	}

}
