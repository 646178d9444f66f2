package io.kafkaworker.samples.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kafka-cli workers} against a running application: a worker whose records with a
 * value starting with {@code fail} freeze their partition after one attempt, its
 * {@code kafkaworkers} endpoint exposed over HTTP with its writes allowed.
 */
@SpringBootTest(classes = CliWorkersTests.PaymentsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				// This module's application.yml is the CLI's: the test application serves
				// HTTP.
				"spring.main.web-application-type=servlet", "management.endpoints.web.exposure.include=kafkaworkers",
				"management.endpoint.kafkaworkers.access=unrestricted",
				"kafka.worker.workers.payments.retry.max-attempts=1" })
@EmbeddedKafkaWorkerTest(topics = @EmbeddedKafkaWorkerTest.Topic(name = CliWorkersTests.TOPIC, partitions = 2))
class CliWorkersTests {

	static final String TOPIC = "cli.payments";

	@LocalServerPort
	private int port;

	@Autowired
	private PaymentsWorker worker;

	@Test
	void listsShowsAndReleasesFrozenRecords(KafkaWorkerTestSupport kafka) {
		kafka.awaitAssigned("payments");
		kafka.send(new ProducerRecord<>(TOPIC, 0, "p-1", "ok"));
		kafka.send(new ProducerRecord<>(TOPIC, 0, "p-2", "fail-then-heal"));
		kafka.send(new ProducerRecord<>(TOPIC, 1, "p-3", "fail-always"));
		awaitFrozen(kafka, 2);
		String url = "http://localhost:" + this.port + "/actuator";

		Cli.Result list = Cli.runAsIs("", "workers", "--url", url);
		assertThat(list.exitCode()).as(list.toString()).isZero();
		assertThat(list.lines().get(0).split("\\s+")).containsExactly("WORKER", "GROUP", "MODE", "STATE", "TOPICS",
				"PARTITIONS", "LAG", "FROZEN");
		assertThat(list.lines().get(1).split("\\s+")).startsWith("payments", "payments")
			.contains("RUNNING", TOPIC)
			.endsWith("2");
		// The lag moves as the worker commits: compare the rest.
		assertThat(Cli.runAsIs("", "workers", "list", "--url", url).lines()).hasSize(2)
			.last()
			.asString()
			.startsWith("payments  payments  ")
			.endsWith("  2");

		Cli.Result show = Cli.runAsIs("", "workers", "--url", url, "show", "payments");
		assertThat(show.exitCode()).as(show.toString()).isZero();
		assertThat(show.lines().get(0)).startsWith("Worker: payments  group: payments  mode: ")
			.contains("state: RUNNING", "topics: " + TOPIC);
		assertThat(show.lines().get(1)).startsWith("TOPIC         PARTITION  COMMITTED  POSITION  END  LAG");
		assertThat(show.out()).contains("FROZEN\n", "Cannot pay p-2", "Cannot pay p-3");

		Cli.Result frozenList = Cli.runAsIs("", "workers", "frozen", "payments", "--url", url);
		assertThat(frozenList.exitCode()).as(frozenList.toString()).isZero();
		assertThat(frozenList.lines()).hasSize(3);
		// Oldest first: the two partitions froze at about the same time.
		assertThat(frozenList.lines().subList(1, 3))
			.map((line) -> String.join(" ", List.of(line.split("\\s+")).subList(0, 6)))
			.containsExactlyInAnyOrder(TOPIC + " 0 1 p-2 PARTITION 1", TOPIC + " 1 0 p-3 PARTITION 1");

		// The cause is fixed: resume retries the record, which succeeds.
		this.worker.healed.set(true);
		Cli.Result resumed = Cli.runAsIs("", "workers", "resume", "payments", "--url", url, "--topic", TOPIC,
				"--partition", "0");
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.lines().get(0)).isEqualTo("1 frozen record(s) retried");

		// This one never succeeds: skip it.
		Cli.Result skipped = Cli.runAsIs("", "workers", "skip", "payments", "--url", url, "--topic", TOPIC,
				"--partition", "1");
		assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
		assertThat(skipped.lines().get(0)).isEqualTo("1 frozen record(s) skipped");
		assertThat(skipped.lines().get(2).split("\\s+")).startsWith(TOPIC, "1", "0", "p-3");

		kafka.awaitCommitted("payments", TOPIC);
		assertThat(this.worker.handled).containsExactly("ok", "fail-then-heal");
		Cli.Result none = Cli.runAsIs("", "workers", "frozen", "payments", "--url", url);
		assertThat(none.out()).isEqualTo("No frozen records\n");

		Cli.Result nothingToSkip = Cli.runAsIs("", "workers", "skip", "payments", "--url", url, "--topic", TOPIC,
				"--partition", "1");
		assertThat(nothingToSkip.exitCode()).as(nothingToSkip.toString()).isEqualTo(2);
		assertThat(nothingToSkip.err().lines()).singleElement()
			.isEqualTo("kafka-cli workers skip: Worker 'payments' has no frozen record on " + TOPIC + "-1");
	}

	private static void awaitFrozen(KafkaWorkerTestSupport kafka, int records) {
		long deadline = System.nanoTime() + kafka.timeout().toNanos();
		List<FrozenRecord> frozen = kafka.awaitFrozen("payments");
		while (frozen.size() < records && System.nanoTime() < deadline) {
			sleep();
			frozen = kafka.awaitFrozen("payments");
		}
		assertThat(frozen).hasSize(records);
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void anUnknownWorkerOrAnUnreachableApplicationExitsTwo() {
		String url = "http://localhost:" + this.port + "/actuator";
		Cli.Result unknown = Cli.runAsIs("", "workers", "show", "nobody", "--url", url);
		assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
		assertThat(unknown.err().lines()).singleElement()
			.isEqualTo("kafka-cli workers show: No worker 'nobody' at " + url + " (GET " + url
					+ "/kafkaworkers/nobody answered 404)");

		Cli.Result unreachable = Cli.runAsIs("", "workers", "--url", "http://localhost:1/actuator", "--timeout", "1s");
		assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(2);
		assertThat(unreachable.err().lines()).singleElement()
			.asString()
			.startsWith(
					"kafka-cli workers: Could not reach the actuator (GET http://localhost:1/actuator/kafkaworkers)");
	}

	/**
	 * The application: one worker and the actuator, no component scan (kafka-cli's own
	 * classes live in this package).
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PaymentsApplication {

		@Bean
		PaymentsWorker paymentsWorker() {
			return new PaymentsWorker();
		}

	}

	/**
	 * Handles payments; {@code fail-always} always fails, {@code fail-then-heal} until
	 * {@link #healed} is set.
	 */
	public static class PaymentsWorker {

		final AtomicBoolean healed = new AtomicBoolean();

		final List<String> handled = new CopyOnWriteArrayList<>();

		/**
		 * Handle a payment.
		 * @param record the payment
		 */
		@KafkaBatchWorker(id = "payments", topics = TOPIC)
		public void handle(ConsumerRecord<String, String> record) {
			if (record.value().equals("fail-always")
					|| (record.value().equals("fail-then-heal") && !this.healed.get())) {
				throw new IllegalStateException("Cannot pay " + record.key());
			}
			this.handled.add(record.value());
		}

	}

}
