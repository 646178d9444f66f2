package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Randomised runs on a real broker proving each mode's contract: every record handled
 * exactly once (no crash, no rebalance here), the mode's ordering and exclusivity, more
 * records in flight than partitions for KEY and PARALLEL, and committed offsets equal to
 * the log-end offsets at the end.
 */
class ModeContractIntegrationTests {

	private static final int PARTITIONS = 4;

	private static final int RECORDS = 10_000;

	private static final int KEYS = 300;

	private static final int CONCURRENCY = 32;

	@ParameterizedTest(name = "{0} with {1} handler")
	@CsvSource({ "SERIAL, record, 200", "SERIAL, batch, 200", "PARTITION, record, 500", "PARTITION, batch, 500",
			"KEY, record, 1000", "KEY, batch, 1000", "PARALLEL, record, 1000", "PARALLEL, batch, 1000" })
	void modeContractHoldsOnRandomisedRun(Mode mode, String handler, int maxDelayMicros) {
		String topic = Broker.uniqueName("contract");
		Broker.createTopic(topic, PARTITIONS);
		long seed = System.nanoTime();
		Random random = new Random(seed);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		ContractRecorder recorder = new ContractRecorder(mode, CONCURRENCY, true);
		String workerId = handler + "-worker";
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ContractApp.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("recorder", recorder))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--test.max-delay-micros=" + maxDelayMicros, "--kafka.worker.workers." + workerId + ".mode=" + mode,
					"--kafka.worker.workers." + workerId + ".concurrency=" + CONCURRENCY,
					"--kafka.worker.workers." + workerId + ".batch-size=7",
					"--kafka.worker.workers." + workerId + ".auto-startup=true",
					"--kafka.worker.workers." + workerId + ".group-id=" + topic,
					"--kafka.worker.defaults.auto-startup=false")) {
			await().atMost(Duration.ofSeconds(90)).until(() -> recorder.distinctHandled() == RECORDS);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(
						() -> assertThat(Broker.committedOffsets(topic, topic)).as("committed offsets (seed %d)", seed)
							.isEqualTo(endOffsets));
			assertThat(recorder.violations()).as("contract violations (seed %d)", seed).isEmpty();
			assertThat(recorder.duplicates()).as("duplicates (seed %d)", seed).isZero();
			endOffsets.forEach((partition, end) -> {
				for (long offset = 0; offset < end; offset++) {
					assertThat(recorder.timesHandled(partition, offset)).as("%s@%d", partition, offset).isEqualTo(1);
				}
			});
			if (mode == Mode.KEY || mode == Mode.PARALLEL) {
				assertThat(recorder.maxActive()).as("peak calls at once").isGreaterThan(PARTITIONS);
			}
			if (mode == Mode.SERIAL) {
				assertThat(recorder.maxActive()).isEqualTo(1);
			}
		}
	}

	static void randomDelay(int maxDelayMicros, int delayPercent) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		if (random.nextInt(100) >= delayPercent) {
			return;
		}
		LockSupport.parkNanos(random.nextLong(maxDelayMicros * 1000L));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ContractApp {

		@Bean
		RecordWorker recordWorker(ContractRecorder recorder, @Value("${test.max-delay-micros}") int maxDelayMicros,
				@Value("${test.delay-percent:20}") int delayPercent) {
			return new RecordWorker(recorder, maxDelayMicros, delayPercent);
		}

		@Bean
		BatchWorker batchWorker(ContractRecorder recorder, @Value("${test.max-delay-micros}") int maxDelayMicros,
				@Value("${test.delay-percent:20}") int delayPercent) {
			return new BatchWorker(recorder, maxDelayMicros, delayPercent);
		}

	}

	public static class RecordWorker {

		private final ContractRecorder recorder;

		private final int maxDelayMicros;

		private final int delayPercent;

		RecordWorker(ContractRecorder recorder, int maxDelayMicros, int delayPercent) {
			this.recorder = recorder;
			this.maxDelayMicros = maxDelayMicros;
			this.delayPercent = delayPercent;
		}

		@KafkaBatchWorker(id = "record-worker", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			List<ConsumerRecord<String, String>> records = List.of(record);
			this.recorder.enter(records);
			randomDelay(this.maxDelayMicros, this.delayPercent);
			this.recorder.exit(records);
		}

	}

	public static class BatchWorker {

		private final ContractRecorder recorder;

		private final int maxDelayMicros;

		private final int delayPercent;

		BatchWorker(ContractRecorder recorder, int maxDelayMicros, int delayPercent) {
			this.recorder = recorder;
			this.maxDelayMicros = maxDelayMicros;
			this.delayPercent = delayPercent;
		}

		@KafkaBatchWorker(id = "batch-worker", topics = "${test.topic}")
		public void handle(List<ConsumerRecord<String, String>> records) {
			assertThat(records).hasSizeBetween(1, 7);
			this.recorder.enter(records);
			randomDelay(this.maxDelayMicros, this.delayPercent);
			this.recorder.exit(records);
		}

	}

}
