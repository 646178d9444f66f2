package io.kafkaworker.samples.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample twice on kafka-worker-test's broker, as a user runs it twice against
 * one broker (with a smaller seed): in the first run readiness turns UP, then the
 * application is closed mid-stream, which is what Spring Boot's shutdown hook does on
 * SIGTERM; the second run, in the same consumer group, finishes the topic. Across both
 * runs every payment is handled exactly once.
 */
@SpringBootTest(classes = GracefulShutdownApplicationTests.BrokerOnly.class, webEnvironment = WebEnvironment.NONE)
@EmbeddedKafkaWorkerTest
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownApplicationTests {

	private static final int RECORDS = 1_000;

	@Test
	void readinessTurnsUpThenARestartMidStreamLosesAndRepeatsNothing(KafkaWorkerTestSupport kafka,
			CapturedOutput output) {
		List<Saved> first;
		try (ConfigurableApplicationContext firstRun = run(kafka, "--demo.seed=" + RECORDS, "--demo.work-ms=3")) {
			// Readiness: DOWN while starting, UP once started with the worker's
			// partitions.
			await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("Readiness is UP"));
			String log = output.getOut();
			assertThat(log).contains("Readiness is DOWN");
			assertThat(log.indexOf("Readiness is DOWN")).isLessThan(log.indexOf("Readiness is UP"));
			assertThat(log.substring(log.indexOf("Readiness is UP"))).contains("kafkaWorkers UP");
			RestClient actuator = RestClient
				.create("http://localhost:" + firstRun.getEnvironment().getProperty("local.server.port"));
			assertThat(actuator.get().uri("/actuator/health/readiness").retrieve().body(String.class))
				.contains("\"status\":\"UP\"");
			assertThat(actuator.get().uri("/actuator/health").retrieve().body(String.class))
				.contains("\"kafkaWorkers\":{")
				.contains("\"joined\":true");

			// SIGTERM mid-stream: the try-with-resources closes the context.
			DemoStore store = firstRun.getBean(DemoStore.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> store.count() >= RECORDS / 5);
			firstRun.close();
			first = store.saved();
		}
		assertThat(first.size()).as("payments handled by the first run").isLessThan(RECORDS);
		assertThat(output.getOut()).contains("Shutting down: readiness turns DOWN")
			.contains("Worker 'payments' shut down in");

		// The second run, on the same broker and group, seeds nothing and finishes the
		// topic.
		List<Saved> second;
		Map<TopicPartition, Long> committed;
		try (ConfigurableApplicationContext secondRun = run(kafka, "--demo.work-ms=1")) {
			committed = kafka.awaitCommitted("payments", GracefulShutdownApplication.TOPIC);
			second = secondRun.getBean(DemoStore.class).saved();
		}
		assertThat(output.getOut()).contains(String.format("already holds %,d payments: not seeding more", RECORDS));
		assertThat(second).as("payments handled by the second run").isNotEmpty();

		// Zero lost, zero duplicates.
		List<String> positions = new ArrayList<>();
		first.forEach((record) -> positions.add(record.position()));
		second.forEach((record) -> positions.add(record.position()));
		assertThat(positions).as("payments handled more than once").doesNotHaveDuplicates();
		Set<String> expected = new TreeSet<>();
		committed.forEach((partition, end) -> {
			for (long offset = 0; offset < end; offset++) {
				expected.add(partition + "@" + offset);
			}
		});
		assertThat(expected).hasSize(RECORDS);
		assertThat(positions).as("payments of the topic").containsExactlyInAnyOrderElementsOf(expected);
	}

	private static ConfigurableApplicationContext run(KafkaWorkerTestSupport kafka, String... arguments) {
		List<String> all = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(GracefulShutdownApplication.class).run(all.toArray(String[]::new));
	}

	// The test's own context holds no application, only kafka-worker-test's broker
	// support: the test starts the sample itself, twice, and stops the first run, as a
	// user would. (A test must not close the context Spring's test framework manages.)
	@Configuration(proxyBeanMethods = false)
	static class BrokerOnly {

	}

}
