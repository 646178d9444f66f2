package io.kafkaworker.samples.quickstart;

import java.time.Duration;

import io.kafkaworker.test.EnabledIfDockerAvailable;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.awaitility.Awaitility.await;

/**
 * Runs the quickstart against Apache Kafka in a container, the broker that
 * {@code compose.yaml} starts. {@code @ServiceConnection} hands the container's address
 * to Spring Boot's Kafka auto-configuration. Skipped, with the reason in the test report,
 * where Docker is not available.
 */
@EnabledIfDockerAvailable
@Testcontainers
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "demo.seed=" + QuickstartContainerTests.RECORDS, "demo.keys=" + QuickstartContainerTests.KEYS,
				"demo.work-ms=1",
				// The container's address reaches Spring Boot as a connection-details
				// bean,
				// not as spring.kafka.bootstrap-servers: say so, or the quickstart would
				// start its own broker too.
				"demo.broker.enabled=false" })
class QuickstartContainerTests {

	static final int RECORDS = 2_000;

	static final int KEYS = 50;

	@Container
	@ServiceConnection
	static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.1");

	@Autowired
	private ProgressReporter progress;

	@Test
	void processesEverySeededRecordOnceAndInOrderPerKeyOnKafkaInDocker() {
		await().atMost(Duration.ofSeconds(60)).until(() -> this.progress.processed() >= RECORDS);
		QuickstartOutput.assertEveryRecordProcessedOnceInKeyOrder(kafka.getBootstrapServers(), RECORDS, KEYS);
	}

}
