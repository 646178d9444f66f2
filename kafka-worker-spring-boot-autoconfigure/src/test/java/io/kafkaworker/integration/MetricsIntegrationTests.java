package io.kafkaworker.integration;

import java.time.Duration;
import java.util.Collection;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.FailureRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers' meters on a real broker, read from the registry Spring Boot configures and
 * from its Prometheus scrape. Partition 1 holds a record that fails twice before it
 * succeeds and one that fails until it is skipped.
 */
class MetricsIntegrationTests {

	private static final int PER_PARTITION = 30;

	private static final String WORKER = "metered";

	private final FailureRecorder recorder = new FailureRecorder();

	private String topic;

	@BeforeEach
	void createTopic() {
		this.topic = Broker.uniqueName("metrics");
		Broker.createTopic(this.topic, 3);
	}

	@Test
	void everyWorkerMeterFollowsWhatTheWorkerDid() throws InterruptedException {
		produce();
		try (ConfigurableApplicationContext context = start()) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// 90 records: the flaky one fails twice, then succeeds; the failing one fails
			// three times, then freezes its partition with the 9 records after it.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(gauge(registry, "kafka.worker.frozen.partitions")).isEqualTo(1));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(count(registry, "success")).isEqualTo(PER_PARTITION * 3 - 10));
			assertThat(count(registry, "retry")).isEqualTo(4);
			assertThat(count(registry, "failure")).isEqualTo(1);
			assertThat(count(registry, "skipped")).isZero();
			WorkerView worker = context.getBean(WorkerRegistry.class).find(WORKER);
			assertThat(worker).isNotNull();
			worker.skipFrozen(this.topic, 1, null, false);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(count(registry, "success")).isEqualTo(PER_PARTITION * 3 - 1));
			assertThat(count(registry, "skipped")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(gauge(registry, "kafka.worker.frozen.partitions")).isZero());

			// one call per record (single-record handler), timed by outcome
			assertThat(search(registry, "kafka.worker.record.duration").tag("outcome", "success").timer().count())
				.isEqualTo(PER_PARTITION * 3 - 1);
			assertThat(search(registry, "kafka.worker.record.duration").tag("outcome", "failure").timer().count())
				.isEqualTo(5);
			assertThat(search(registry, "kafka.worker.batch.size").summary().count()).isEqualTo(PER_PARTITION * 3 + 4);
			assertThat(search(registry, "kafka.worker.batch.size").summary().max()).isEqualTo(1);

			// base units where a meter counts something
			assertThat(search(registry, "kafka.worker.records").counters())
				.allSatisfy((counter) -> assertThat(counter.getId().getBaseUnit()).isEqualTo("records"));
			assertThat(search(registry, "kafka.worker.batch.size").summary().getId().getBaseUnit())
				.isEqualTo("records");
			assertThat(search(registry, "kafka.worker.in.flight").gauge().getId().getBaseUnit()).isEqualTo("records");
			assertThat(search(registry, "kafka.worker.buffered").gauge().getId().getBaseUnit()).isEqualTo("records");
			assertThat(search(registry, "kafka.worker.frozen.partitions").gauge().getId().getBaseUnit())
				.isEqualTo("partitions");
			assertThat(search(registry, "kafka.worker.lag").gauges())
				.allSatisfy((lag) -> assertThat(lag.getId().getBaseUnit()).isEqualTo("records"));

			// lag per partition: it grows while the worker is paused and drains after
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lags(registry)).containsOnly(0.0));
			assertThat(search(registry, "kafka.worker.lag").gauges()).hasSize(3);
			worker.pause();
			// Produce once the consumer paused (at its next poll) and a fetch
			// in flight came back (fetch.max.wait.ms is 500 ms): a paused
			// partition is not fetched, so its log end needs its own request.
			Thread.sleep(2000);
			produceTo(2, 7);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(search(registry, "kafka.worker.lag").tag("partition", "2").gauge().value())
							.isEqualTo(7));
			worker.resume();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lags(registry)).containsOnly(0.0));

			assertThat(search(registry, "kafka.worker.commits").tag("result", "success").counter().count())
				.isPositive();
			assertThat(search(registry, "kafka.worker.commit.duration").timer().count()).isPositive();
			assertThat(search(registry, "kafka.worker.rebalances").tag("change", "assigned").counter().count())
				.isGreaterThanOrEqualTo(1);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(gauge(registry, "kafka.worker.in.flight")).isZero();
				assertThat(gauge(registry, "kafka.worker.buffered")).isZero();
			});

			// Kafka's own client metrics, through Spring Kafka's Micrometer listener
			assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
				.anyMatch((name) -> name.startsWith("kafka.consumer.fetch.manager."));

			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape)
				.contains("kafka_worker_records_total{outcome=\"success\",topic=\"" + this.topic + "\",worker=\""
						+ WORKER + "\"} " + (PER_PARTITION * 3 - 1 + 7) + ".0")
				.contains("kafka_worker_record_duration_seconds_count{outcome=\"failure\"")
				.contains("kafka_worker_batch_size_records_count{")
				.contains("kafka_worker_in_flight_records{worker=\"" + WORKER + "\"} 0.0")
				.contains("kafka_worker_buffered_records{")
				.contains("kafka_worker_frozen_partitions{")
				.contains("kafka_worker_lag_records{partition=\"0\",topic=\"" + this.topic + "\",worker=\"" + WORKER
						+ "\"} 0.0")
				.contains("kafka_worker_commits_total{result=\"success\"")
				.contains("kafka_worker_commit_duration_seconds_count{")
				.contains("kafka_worker_rebalances_total{change=\"assigned\"")
				// the timer's histogram is the application's choice
				// (management.metrics.distribution.*)
				.doesNotContain("kafka_worker_record_duration_seconds_bucket");
		}
	}

	private double count(MeterRegistry registry, String outcome) {
		Collection<Counter> counters = registry.find("kafka.worker.records")
			.tag("worker", WORKER)
			.tag("topic", this.topic)
			.tag("outcome", outcome)
			.counters();
		return counters.stream().mapToDouble(Counter::count).sum();
	}

	private static double gauge(MeterRegistry registry, String name) {
		return search(registry, name).gauge().value();
	}

	private static Collection<Double> lags(MeterRegistry registry) {
		return search(registry, "kafka.worker.lag").gauges().stream().map(Gauge::value).toList();
	}

	private static RequiredSearch search(MeterRegistry registry, String name) {
		return registry.get(name).tag("worker", WORKER);
	}

	private void produce() {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int partition = 0; partition < 3; partition++) {
				for (int i = 0; i < PER_PARTITION; i++) {
					String prefix = (partition != 1) ? "ok:" : (i == 10) ? "flaky:" : (i == 20) ? "fail:" : "ok:";
					producer.send(new ProducerRecord<>(this.topic, partition, "k" + (i % 5), prefix + i));
				}
			}
			producer.flush();
		}
	}

	private void produceTo(int partition, int count) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < count; i++) {
				producer.send(new ProducerRecord<>(this.topic, partition, "k" + i, "ok:more-" + i));
			}
			producer.flush();
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(MeteredApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", this.recorder))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + this.topic,
					"--kafka.worker.workers.metered.group-id=" + this.topic,
					"--kafka.worker.workers.metered.commit-interval=200ms",
					"--kafka.worker.workers.metered.retry.backoff.initial=20ms");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MeteredApp {

		@Bean
		MeteredWorker meteredWorker(FailureRecorder recorder) {
			return new MeteredWorker(recorder);
		}

	}

	public static class MeteredWorker {

		private final FailureRecorder recorder;

		MeteredWorker(FailureRecorder recorder) {
			this.recorder = recorder;
		}

		@KafkaBatchWorker(id = WORKER, topics = "${test.topic}", mode = Mode.PARTITION)
		public void handle(ConsumerRecord<String, String> record) {
			this.recorder.handle(record);
		}

	}

}
