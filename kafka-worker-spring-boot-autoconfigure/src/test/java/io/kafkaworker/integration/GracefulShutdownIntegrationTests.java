package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.integration.ModeContractIntegrationTests.ContractApp;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.ContractRecorder;
import io.kafkaworker.testsupport.Seed;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown under load on a real broker: the context closes while records are in
 * flight and buffered, then a second context in the same group finishes the topic. Across
 * both runs every record is handled exactly once: the shutdown's commit covers every
 * record it handled and nothing it did not, in every mode, including the out-of-order
 * ones.
 */
@ExtendWith(OutputCaptureExtension.class)
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

	/**
	 * A classic-protocol rebalance that waits for a member which stopped polling refuses
	 * every member's commits. A worker closing then must retry its last commit until the
	 * rebalance completes, not give up and leave its finished records to be handled again
	 * by the next owner (the chaos suite's "SIGTERM all" duplicates). The stalled member
	 * polls again two seconds into the close.
	 */
	@Test
	void closingWhileARebalanceWaitsForAStalledMemberCommitsEverythingItHandled() throws Exception {
		String topic = Broker.uniqueName("stalled");
		Broker.createTopic(topic, 2);
		Seed seed = Seed.create();
		Random random = seed.random();
		Broker.produce(topic, 100, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, 32, true);
		try (ConfigurableApplicationContext worker = start(recorder, topic, "record-worker", Mode.KEY, "IN_FLIGHT",
				seed,
				"--spring.kafka.consumer.properties.partition.assignment.strategy="
						+ CooperativeStickyAssignor.class.getName(),
				"--spring.kafka.consumer.properties.heartbeat.interval.ms=2000");
				KafkaConsumer<String, String> stalled = member(topic);
				KafkaConsumer<String, String> joining = member(topic)) {
			Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(30));
			// The stalled member joins, takes one of the two partitions, and stops
			// polling.
			seed.await("the stalled member's assignment", Duration.ofSeconds(30))
				.until(() -> !stalled.poll(Duration.ofMillis(100)).isEmpty() || !stalled.assignment().isEmpty());
			TopicPartition kept = new TopicPartition(topic,
					stalled.assignment().contains(new TopicPartition(topic, 0)) ? 1 : 0);
			// Another member joins: the group waits for the stalled one, refusing
			// commits.
			AtomicBoolean joinerPolls = new AtomicBoolean(true);
			Thread joiner = pollWhile(joining, joinerPolls);
			// The worker learns of the rebalance from a heartbeat (every 2 s) and
			// rejoins.
			Thread.sleep(4000);
			long end = Broker.endOffsets(topic).get(kept);
			try (KafkaProducer<String, String> producer = Broker.producer()) {
				for (int i = 0; i < 50; i++) {
					producer.send(new ProducerRecord<>(topic, kept.partition(), "key-" + i, "late-" + i));
				}
			}
			long newEnd = end + 50;
			seed.await("the worker handling the records produced during the rebalance", Duration.ofSeconds(30))
				.until(() -> recorder.timesHandled(kept, newEnd - 1) > 0);
			// Two commit intervals: the worker's commits of them are refused.
			Thread.sleep(2000);
			assertThat(Broker.committedOffsets(topic, topic).get(kept))
				.as("commits refused during the rebalance (%s)", seed)
				.isLessThan(newEnd);
			Thread waker = new Thread(() -> {
				sleep(2000);
				stalled.poll(Duration.ofMillis(500));
			});
			waker.start();
			worker.close();
			waker.join();
			joinerPolls.set(false);
			joiner.join();
			assertThat(Broker.committedOffsets(topic, topic).get(kept))
				.as("committed offset of %s after the close (%s)", kept, seed)
				.isEqualTo(newEnd);
			assertThat(recorder.violations()).as("contract violations (%s)", seed).isEmpty();
		}
	}

	/**
	 * One record slower than the whole shutdown timeout (a stuck call) must cost neither
	 * the commit of what else finished nor leaving the group: the drain keeps the end of
	 * the timeout for both. Before, the drain spent the whole timeout waiting for the
	 * stuck call, its commit timed out at once and the consumers had no time left to
	 * leave: in a JVM that exits after the shutdown, everything finished since the last
	 * periodic commit ran again (chaos run 20261207-004653, KEY), and the partitions
	 * waited for the session timeout. Periodic commits are turned off here (an hour) so
	 * that only the drain's own commit can cover the finished records.
	 */
	@Test
	void aCallSlowerThanTheShutdownTimeoutCostsNeitherTheCommitNorLeavingTheGroup(CapturedOutput output)
			throws Exception {
		String topic = Broker.uniqueName("stuck");
		Broker.createTopic(topic, 2);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(topic, 0, "stuck", StuckApp.STUCK)).get();
			for (int i = 0; i < 20; i++) {
				producer.send(new ProducerRecord<>(topic, 1, "key-" + i, "value-" + i)).get();
			}
		}
		StuckApp.reset();
		try {
			long closeMillis;
			try (ConfigurableApplicationContext worker = startStuck(topic, "5s",
					"--kafka.worker.workers.stuck-worker.commit-interval=1h")) {
				assertThat(StuckApp.stuckStarted.await(30, TimeUnit.SECONDS)).as("the stuck call started").isTrue();
				await().atMost(Duration.ofSeconds(30)).until(() -> StuckApp.handled.get() == 20);
				long closeStart = System.nanoTime();
				worker.close();
				closeMillis = Duration.ofNanos(System.nanoTime() - closeStart).toMillis();
			}
			// Read right after the close: a consumer that had no time to leave and commit
			// as it closes does so later in this JVM, never in one that exits.
			assertThat(Broker.committedOffsets(topic, topic)).as("committed when the close returned")
				.containsEntry(new TopicPartition(topic, 1), 20L);
			assertThat(output).contains("Worker 'stuck-worker' did not finish its in-flight records")
				.doesNotContain("could not commit before leaving its group")
				.doesNotContain("has not left its group within the shutdown timeout");
			assertThat(closeMillis).as("close time").isLessThan(Duration.ofSeconds(7).toMillis());
		}
		finally {
			StuckApp.release.countDown();
		}
	}

	/**
	 * A context stopped and started again (Spring's lifecycle, a CRaC checkpoint) finds
	 * its workers as they were before the drain: nothing held, no drain in force, and
	 * revocations waiting their whole revoke timeout again, even when the drain gave up
	 * on a stuck call.
	 */
	@Test
	void aContextStoppedAfterGivingUpOnAStuckCallRunsRecordsAgainWhenStarted() throws Exception {
		String topic = Broker.uniqueName("restart");
		Broker.createTopic(topic, 2);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(topic, 0, "stuck", StuckApp.STUCK)).get();
		}
		StuckApp.reset();
		try (ConfigurableApplicationContext worker = startStuck(topic, "3s")) {
			assertThat(StuckApp.stuckStarted.await(30, TimeUnit.SECONDS)).as("the stuck call started").isTrue();
			worker.stop();
			StuckApp.release.countDown();
			worker.start();
			try (KafkaProducer<String, String> producer = Broker.producer()) {
				for (int i = 0; i < 10; i++) {
					producer.send(new ProducerRecord<>(topic, i % 2, "key-" + i, "value-" + i)).get();
				}
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> StuckApp.handled.get() == 10);
			WorkerView view = worker.getBean(WorkerRegistry.class).find("stuck-worker");
			assertThat(view).isNotNull();
			assertThat(view.snapshot().haltedLanes()).isZero();
		}
		finally {
			StuckApp.release.countDown();
		}
	}

	private static KafkaConsumer<String, String> member(String topic) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
		properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// Alive (heartbeats) but stalled: the rebalance waits up to this for it to poll.
		properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
		properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
		consumer.subscribe(List.of(topic));
		return consumer;
	}

	private static Thread pollWhile(KafkaConsumer<String, String> consumer, AtomicBoolean polling) {
		Thread thread = new Thread(() -> {
			while (polling.get()) {
				consumer.poll(Duration.ofMillis(100));
			}
		}, "joining-member");
		thread.start();
		return thread;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ConfigurableApplicationContext startStuck(String topic, String shutdownTimeout, String... extra) {
		return new SpringApplicationBuilder(StuckApp.class).web(WebApplicationType.NONE)
			.run(CommandLineArguments.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.stuck-worker.group-id=" + topic,
					"--kafka.worker.shutdown.timeout=" + shutdownTimeout), extra));
	}

	private static ConfigurableApplicationContext start(ContractRecorder recorder, String topic, String workerId,
			Mode mode, String drain, Seed seed, String... extra) {
		return new SpringApplicationBuilder(ContractApp.class).web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("recorder", recorder))
			.run(CommandLineArguments.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--test.seed=" + seed.value(), "--test.max-delay-micros=2000", "--test.delay-percent=50",
					"--kafka.worker.workers." + workerId + ".mode=" + mode,
					"--kafka.worker.workers." + workerId + ".concurrency=32",
					"--kafka.worker.workers." + workerId + ".batch-size=7",
					"--kafka.worker.workers." + workerId + ".auto-startup=true",
					"--kafka.worker.workers." + workerId + ".group-id=" + topic,
					"--kafka.worker.defaults.auto-startup=false", "--kafka.worker.shutdown.drain=" + drain,
					"--kafka.worker.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
					"--spring.kafka.consumer.properties.session.timeout.ms=6000"), extra));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StuckApp {

		static final String STUCK = "stuck";

		static volatile CountDownLatch stuckStarted = new CountDownLatch(1);

		static volatile CountDownLatch release = new CountDownLatch(1);

		static final AtomicInteger handled = new AtomicInteger();

		static void reset() {
			stuckStarted = new CountDownLatch(1);
			release = new CountDownLatch(1);
			handled.set(0);
		}

		@Bean
		StuckWorker stuckWorker() {
			return new StuckWorker();
		}

	}

	public static class StuckWorker {

		@KafkaBatchWorker(id = "stuck-worker", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			if (StuckApp.STUCK.equals(record.value())) {
				StuckApp.stuckStarted.countDown();
				StuckApp.release.await(2, TimeUnit.MINUTES);
				return;
			}
			StuckApp.handled.incrementAndGet();
		}

	}

}
