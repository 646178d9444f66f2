package io.kafkaworker.samples.quickstart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kafkaworker.samples.support.InProcessKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the quickstart as a user does, with no arguments (but free ports): it starts its
 * own in-process broker, seeds a small demo, processes it, and says where to look.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartApplicationTests {

	// The defaults of demo.seed and demo.keys.
	private static final int RECORDS = 2_000;

	private static final int KEYS = 100;

	@Test
	void processesEverySeededRecordOnceAndInOrderPerKeyOnItsOwnBroker(CapturedOutput output) {
		int brokerPort = TestPorts.findFreePortPair();
		Path dataDirectory;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(QuickstartApplication.class)
			.main(QuickstartApplication.class)
			.run("--demo.broker.port=" + brokerPort, "--server.port=0")) {
			String bootstrapServers = "localhost:" + brokerPort;
			assertThat(context.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))
				.isEqualTo(bootstrapServers);
			ProgressReporter progress = context.getBean(ProgressReporter.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> progress.processed() >= RECORDS);
			QuickstartOutput.assertEveryRecordProcessedOnceInKeyOrder(bootstrapServers, RECORDS, KEYS);
			assertThat(progress.processed()).isEqualTo(RECORDS);

			RestClient actuator = RestClient
				.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
			assertThat(actuator.get().uri("/actuator/health").retrieve().body(String.class))
				.contains("\"status\":\"UP\"");
			assertThat(actuator.get().uri("/actuator/health/readiness").retrieve().body(String.class))
				.contains("\"status\":\"UP\"");
			assertThat(actuator.get().uri("/actuator/prometheus").retrieve().body(String.class))
				.contains("quickstart_records_processed_total " + RECORDS);
			// Singletons are destroyed in reverse creation order: the broker, created
			// before the Kafka clients, is closed after them.
			List<String> singletons = List.of(context.getBeanFactory().getSingletonNames());
			assertThat(singletons).containsSubsequence("inProcessKafkaBroker", "kafkaProducerFactory")
				.containsSubsequence("inProcessKafkaBroker", "kafkaConsumerFactory")
				.containsSubsequence("inProcessKafkaBroker", "kafkaAdmin");
			dataDirectory = context.getBean(InProcessKafkaBroker.class).dataDirectory();
			assertThat(dataDirectory).isDirectory();
		}
		assertThat(output).contains("Started an in-process Kafka broker at localhost:" + brokerPort)
			.contains("kcat -b localhost:" + brokerPort + " -L")
			.contains(String.format("Produced %,d records over %,d keys", RECORDS, KEYS))
			.contains("Where to look: ")
			.contains("/actuator/kafkaworkers")
			.contains(String.format("All %,d seeded records processed", RECORDS))
			.contains("Stopped the in-process Kafka broker");
		// Closing the application stopped the broker and deleted its data.
		assertThat(dataDirectory).doesNotExist();
		assertThat(TestPorts.isFree(brokerPort)).as("broker port free again").isTrue();
		assertThat(TestPorts.isFree(brokerPort + 1)).as("controller port free again").isTrue();
	}

}
