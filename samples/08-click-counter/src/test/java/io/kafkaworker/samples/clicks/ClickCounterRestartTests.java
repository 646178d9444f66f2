package io.kafkaworker.samples.clicks;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample twice on kafka-worker-test's broker, in the same consumer group, as a
 * user restarts it: clicks sent while it is down are added to the counts the first run
 * left in the table, because the second run restores each partition's rows from the table
 * before counting. A run on its own topic and group, so that it does not meet
 * {@link ClickCounterApplicationTests}' application.
 */
@SpringBootTest(classes = ClickCounterRestartTests.BrokerOnly.class, webEnvironment = WebEnvironment.NONE)
@EmbeddedKafkaWorkerTest(topics = @Topic(name = ClickCounterRestartTests.TOPIC, partitions = 3))
class ClickCounterRestartTests {

	static final String TOPIC = "clicks-restart";

	private static final String GROUP = "click-counter-restart";

	@Test
	void aRestartedApplicationContinuesEachUsersCountFromTheTable(KafkaWorkerTestSupport kafka) {
		Random random = Clicks.random("aRestartedApplicationContinues");
		Map<String, ClickCount> expected = new TreeMap<>();
		kafka.sendAll(Clicks.random(TOPIC, random, 500, expected));
		try (ConfigurableApplicationContext first = run(kafka)) {
			kafka.awaitCommitted(GROUP, TOPIC);
			awaitServed(first, expected);
		}

		// More clicks while the application is down.
		kafka.sendAll(Clicks.random(TOPIC, random, 500, expected));
		try (ConfigurableApplicationContext second = run(kafka)) {
			kafka.awaitCommitted(GROUP, TOPIC);
			awaitServed(second, expected);
		}
		assertThat(Clicks.table(kafka.bootstrapServers(), GROUP + "-table")).isEqualTo(expected);
	}

	private static void awaitServed(ConfigurableApplicationContext application, Map<String, ClickCount> expected) {
		RestClient http = RestClient
			.create("http://localhost:" + application.getEnvironment().getProperty("local.server.port"));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Clicks.users(http)).isEqualTo(expected));
	}

	private static ConfigurableApplicationContext run(KafkaWorkerTestSupport kafka) {
		return new SpringApplicationBuilder(ClickCounterApplication.class).run(
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--server.port=0", "--demo.seed=0",
				"--demo.clicks.every=0", "--kafka.worker.workers." + ClickCounter.ID + ".topics=" + TOPIC,
				"--kafka.worker.workers." + ClickCounter.ID + ".group-id=" + GROUP,
				"--kafka.worker.views.clicks.topic=" + GROUP + "-table",
				// Stable across the two runs, as across an instance's restarts, and
				// unlike that of the other test's application in this JVM.
				"--kafka.worker.exactly-once.transactional-id-prefix=" + GROUP + "-");
	}

	// The test's own context holds no application, only kafka-worker-test's broker
	// support: the test starts the sample itself, twice. (A test must not close the
	// context Spring's test framework manages.)
	@Configuration(proxyBeanMethods = false)
	static class BrokerOnly {

	}

}
