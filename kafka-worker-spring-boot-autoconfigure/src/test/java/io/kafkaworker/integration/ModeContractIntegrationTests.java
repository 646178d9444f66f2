package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import io.kafkaworker.testsupport.Seed;
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
		Seed seed = Seed.create();
		Random random = seed.random();
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		ContractRecorder recorder = new ContractRecorder(mode, CONCURRENCY, true);
		String workerId = handler + "-worker";
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ContractApp.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("recorder", recorder))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--test.seed=" + seed.value(), "--test.max-delay-micros=" + maxDelayMicros,
					"--kafka.worker.workers." + workerId + ".mode=" + mode,
					"--kafka.worker.workers." + workerId + ".concurrency=" + CONCURRENCY,
					"--kafka.worker.workers." + workerId + ".batch-size=7",
					"--kafka.worker.workers." + workerId + ".auto-startup=true",
					"--kafka.worker.workers." + workerId + ".group-id=" + topic,
					"--kafka.worker.defaults.auto-startup=false")) {
			seed.await("every record handled", Duration.ofSeconds(90))
				.until(() -> recorder.distinctHandled() == RECORDS);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			seed.await("the committed offsets reaching the log end", Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
			assertThat(recorder.violations()).as("contract violations (%s)", seed).isEmpty();
			assertThat(recorder.duplicates()).as("duplicates (%s)", seed).isZero();
			endOffsets.forEach((partition, end) -> {
				for (long offset = 0; offset < end; offset++) {
					assertThat(recorder.timesHandled(partition, offset)).as("%s@%d (%s)", partition, offset, seed)
						.isEqualTo(1);
				}
			});
			if (mode == Mode.KEY || mode == Mode.PARALLEL) {
				assertThat(recorder.maxActive()).as("peak calls at once (%s)", seed).isGreaterThan(PARTITIONS);
			}
			if (mode == Mode.SERIAL) {
				assertThat(recorder.maxActive()).as("peak calls at once (%s)", seed).isEqualTo(1);
			}
		}
	}

	/**
	 * The handler of the contract tests' applications, shared by the record and the batch
	 * worker: it notes the call with the recorder and waits a delay that the test's seed
	 * and the call's first record decide.
	 */
	static final class ContractHandler {

		private final ContractRecorder recorder;

		private final Seed seed;

		private final int maxDelayMicros;

		private final int delayPercent;

		ContractHandler(ContractRecorder recorder, Seed seed, int maxDelayMicros, int delayPercent) {
			this.recorder = recorder;
			this.seed = seed;
			this.maxDelayMicros = maxDelayMicros;
			this.delayPercent = delayPercent;
		}

		void handle(List<ConsumerRecord<String, String>> records) {
			this.recorder.enter(records);
			ConsumerRecord<String, String> first = records.get(0);
			LockSupport.parkNanos(
					this.seed.delayNanos(first.partition(), first.offset(), this.maxDelayMicros, this.delayPercent));
			this.recorder.exit(records);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ContractApp {

		@Bean
		ContractHandler contractHandler(ContractRecorder recorder, @Value("${test.seed}") long seed,
				@Value("${test.max-delay-micros}") int maxDelayMicros,
				@Value("${test.delay-percent:20}") int delayPercent) {
			return new ContractHandler(recorder, Seed.of(seed), maxDelayMicros, delayPercent);
		}

		@Bean
		RecordWorker recordWorker(ContractHandler handler) {
			return new RecordWorker(handler);
		}

		@Bean
		BatchWorker batchWorker(ContractHandler handler, ContractRecorder recorder) {
			return new BatchWorker(handler, recorder);
		}

	}

	public static class RecordWorker {

		private final ContractHandler handler;

		RecordWorker(ContractHandler handler) {
			this.handler = handler;
		}

		@KafkaBatchWorker(id = "record-worker", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.handler.handle(List.of(record));
		}

	}

	public static class BatchWorker {

		private final ContractHandler handler;

		private final ContractRecorder recorder;

		BatchWorker(ContractHandler handler, ContractRecorder recorder) {
			this.handler = handler;
			this.recorder = recorder;
		}

		@KafkaBatchWorker(id = "batch-worker", topics = "${test.topic}")
		public void handle(List<ConsumerRecord<String, String>> records) {
			// a breach noted, not thrown: an exception here would only make the worker
			// retry
			if (records.isEmpty() || records.size() > 7) {
				this.recorder.violation("a batch of " + records.size() + " records, beyond the batch size of 7");
			}
			this.handler.handle(records);
		}

	}

}
