package io.kafkaworker.integration;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import io.kafkaworker.annotation.Mode;
import io.kafkaworker.integration.ModeContractIntegrationTests.ContractApp;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import io.kafkaworker.testsupport.Seed;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown under load on a real broker: the context closes while records are in
 * flight and buffered, then a second context in the same group finishes the topic. Across
 * both runs every record is handled exactly once: the shutdown's commit covers every
 * record it handled and nothing it did not, in every mode, including the out-of-order
 * ones.
 */
class GracefulShutdownIntegrationTests {

	private static final int PARTITIONS = 4;

	private static final int RECORDS = 8_000;

	private static final int KEYS = 200;

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	@ParameterizedTest(name = "{0} with {1} handler, drain {2}")
	@CsvSource({ "KEY, record, IN_FLIGHT", "PARALLEL, record, IN_FLIGHT", "PARTITION, batch, IN_FLIGHT",
			"KEY, batch, IN_FLIGHT", "KEY, record, ALL" })
	void closingUnderLoadThenRestartingHandlesEveryRecordExactlyOnce(Mode mode, String handler, String drain) {
		String topic = Broker.uniqueName("shutdown");
		Broker.createTopic(topic, PARTITIONS);
		Seed seed = Seed.create();
		Random random = seed.random();
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		ContractRecorder recorder = new ContractRecorder(mode, 32, true);
		String workerId = handler + "-worker";

		long handledWhenCloseBegan;
		long closeMillis;
		try (ConfigurableApplicationContext first = start(recorder, topic, workerId, mode, drain, seed)) {
			seed.await("a tenth of the records handled", Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(2))
				.until(() -> recorder.distinctHandled() >= RECORDS / 10);
			long closeStart = System.nanoTime();
			handledWhenCloseBegan = recorder.distinctHandled();
			first.close();
			closeMillis = Duration.ofNanos(System.nanoTime() - closeStart).toMillis();
		}
		// The close began under load. (Drain ALL may still finish every record, when all
		// of them were fetched before the close.)
		assertThat(handledWhenCloseBegan).as("records handled when the close began (%s)", seed).isLessThan(RECORDS);
		assertThat(closeMillis).as("close time (%s)", seed).isLessThan(SHUTDOWN_TIMEOUT.toMillis());
		// Nothing the first run handled is left uncommitted, and nothing it did not
		// handle
		// is committed.
		Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
		committed.forEach((partition, offset) -> {
			for (long o = 0; o < offset; o++) {
				assertThat(recorder.timesHandled(partition, o)).as("%s@%d below the commit (%s)", partition, o, seed)
					.isEqualTo(1);
			}
		});

		try (ConfigurableApplicationContext second = start(recorder, topic, workerId, mode, drain, seed)) {
			seed.await("every record handled", Duration.ofSeconds(90))
				.until(() -> recorder.distinctHandled() == RECORDS);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			seed.await("the committed offsets reaching the log end", Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
			assertThat(recorder.duplicates()).as("records handled twice (%s)", seed).isZero();
			endOffsets.forEach((partition, end) -> {
				for (long offset = 0; offset < end; offset++) {
					assertThat(recorder.timesHandled(partition, offset)).as("%s@%d (%s)", partition, offset, seed)
						.isEqualTo(1);
				}
			});
			assertThat(recorder.violations()).as("contract violations (%s)", seed).isEmpty();
		}
	}

	private static ConfigurableApplicationContext start(ContractRecorder recorder, String topic, String workerId,
			Mode mode, String drain, Seed seed) {
		return new SpringApplicationBuilder(ContractApp.class).web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("recorder", recorder))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--test.seed=" + seed.value(), "--test.max-delay-micros=2000", "--test.delay-percent=50",
					"--kafka.worker.workers." + workerId + ".mode=" + mode,
					"--kafka.worker.workers." + workerId + ".concurrency=32",
					"--kafka.worker.workers." + workerId + ".batch-size=7",
					"--kafka.worker.workers." + workerId + ".auto-startup=true",
					"--kafka.worker.workers." + workerId + ".group-id=" + topic,
					"--kafka.worker.defaults.auto-startup=false", "--kafka.worker.shutdown.drain=" + drain,
					"--kafka.worker.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
					"--spring.kafka.consumer.properties.session.timeout.ms=6000");
	}

}
