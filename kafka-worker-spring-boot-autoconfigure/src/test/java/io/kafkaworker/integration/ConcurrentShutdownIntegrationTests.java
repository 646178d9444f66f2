package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kafkaworker.annotation.Mode;
import io.kafkaworker.integration.ModeContractIntegrationTests.ContractApp;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import io.kafkaworker.testsupport.Seed;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances of one group, on the eager classic protocol, stopped at the same moment
 * (issue #10, item 7). Each instance that leaves triggers a rebalance that revokes every
 * partition of the others while they drain; a drain whose commit was queued to a consumer
 * session that the revocation then ended must not wait for it until the shutdown timeout.
 * Every close returns well within the timeout, no drain reports a commit or a departure
 * it could not make, and nothing handled is lost: the committed offsets cover only
 * handled records, and a fresh instance finishes the topic.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConcurrentShutdownIntegrationTests {

	private static final int PARTITIONS = 6;

	private static final int INSTANCES = 3;

	private static final int CONCURRENCY = 8;

	private static final int KEYS = 400;

	private static final int MAX_RECORDS = 100_000;

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

	/** Far below the timeout: a close that waited for an orphaned commit takes 20 s. */
	private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

	private static final String WORKER = "record-worker";

	/** Short handler calls: an instance with nothing much in flight. */
	private static final String FAST = "2000:100";

	/**
	 * The instances' handler delays under load: records in flight for a moment, for a
	 * while, and for long, so that the instances' drains commit and leave the group at
	 * different times, while the others' commits wait for their consumers' next poll.
	 */
	private static final List<String> UNEVEN_DELAYS = List.of(FAST, "40000:10", "200000:4");

	@Test
	void instancesClosingAtOnceUnderLoadCloseQuicklyAndLoseNothing(CapturedOutput output) throws Exception {
		String topic = Broker.uniqueName("concurrent-shutdown");
		Broker.createTopic(topic, PARTITIONS);
		long seed = Seed.create().value();
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, INSTANCES * CONCURRENCY, false);
		AtomicBoolean producing = new AtomicBoolean(true);
		CompletableFuture<Integer> produced = produceUntilStopped(topic, seed, producing);
		List<Long> closeMillis;
		int handledWhenCloseBegan;
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (String delays : UNEVEN_DELAYS) {
				instances.add(start(recorder, topic, CONCURRENCY, delays, seed));
			}
			awaitEveryInstanceHoldsPartitions(topic, seed);
			int handled = recorder.distinctHandled();
			Seed.of(seed)
				.await("2,000 more records handled", Duration.ofSeconds(60))
				.until(() -> recorder.distinctHandled() >= handled + 2_000);
			handledWhenCloseBegan = recorder.distinctHandled();
			closeMillis = closeAllAtOnce(instances);
		}
		finally {
			producing.set(false);
			instances.forEach(ConfigurableApplicationContext::close);
		}
		int records = produced.get(60, TimeUnit.SECONDS);
		Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
		report("under load", seed, closeMillis, output, "handled when the close began " + handledWhenCloseBegan + " of "
				+ records + ", handled at or above the commit " + handledAtOrAbove(recorder, committed));
		assertClosedQuickly(closeMillis, output, seed);
		assertThat(handledWhenCloseBegan).as("records handled when the close began (seed %d)", seed)
			.isLessThan(records);
		assertThat(committed).as("committed offsets after the close (seed %d)", seed).hasSize(PARTITIONS);
		committed.forEach((partition, offset) -> assertHandledBelow(recorder, partition, offset, seed));

		try (ConfigurableApplicationContext fresh = start(recorder, topic, INSTANCES * CONCURRENCY, FAST, seed)) {
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			Seed.of(seed)
				.await("the fresh instance commits the end", Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic))
					.as("committed offsets after the fresh instance (seed %d)", seed)
					.isEqualTo(endOffsets));
			endOffsets.forEach((partition, end) -> assertHandledBelow(recorder, partition, end, seed));
		}
		assertThat(recorder.violations()).as("contract violations (seed %d)", seed).isEmpty();
		// Each drain commits what it finished, with the records complete above each
		// offset, even while the group rebalances around it: nothing runs twice.
		assertThat(recorder.duplicates()).as("records handled twice (seed %d)", seed).isZero();
	}

	@Test
	void idleInstancesClosingAtOnceCloseQuickly(CapturedOutput output) throws Exception {
		String topic = Broker.uniqueName("concurrent-shutdown-idle");
		Broker.createTopic(topic, PARTITIONS);
		long seed = Seed.create().value();
		Random random = new Random(seed);
		Broker.produce(topic, 3_000, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, INSTANCES * CONCURRENCY, false);
		List<Long> closeMillis;
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				instances.add(start(recorder, topic, CONCURRENCY, FAST, seed));
			}
			awaitEveryInstanceHoldsPartitions(topic, seed);
			// Idle: everything handled and committed, the consumers wait in poll().
			Seed.of(seed)
				.await("everything committed", Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
			closeMillis = closeAllAtOnce(instances);
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
		}
		report("idle", seed, closeMillis, output, "");
		assertClosedQuickly(closeMillis, output, seed);
		assertThat(Broker.committedOffsets(topic, topic)).as("committed offsets after the close (seed %d)", seed)
			.isEqualTo(endOffsets);
		endOffsets.forEach((partition, end) -> assertHandledBelow(recorder, partition, end, seed));
	}

	/**
	 * Start an instance.
	 * @param delays the handler's delays: {@code maxMicros:percent}, a random delay below
	 * maxMicros for that percentage of the records
	 */
	private static ConfigurableApplicationContext start(ContractRecorder recorder, String topic, int concurrency,
			String delays, long seed) {
		String[] maxMicrosAndPercent = delays.split(":");
		return new SpringApplicationBuilder(ContractApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", recorder))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest",
					"--spring.kafka.consumer.properties.group.protocol=classic",
					"--spring.kafka.consumer.properties.partition.assignment.strategy="
							+ "org.apache.kafka.clients.consumer.RangeAssignor",
					"--spring.kafka.consumer.properties.session.timeout.ms=6000",
					"--spring.kafka.consumer.properties.heartbeat.interval.ms=500", "--test.topic=" + topic,
					"--test.seed=" + seed, "--test.max-delay-micros=" + maxMicrosAndPercent[0],
					"--test.delay-percent=" + maxMicrosAndPercent[1], "--kafka.worker.defaults.auto-startup=false",
					"--kafka.worker.workers." + WORKER + ".auto-startup=true",
					"--kafka.worker.workers." + WORKER + ".mode=KEY",
					"--kafka.worker.workers." + WORKER + ".concurrency=" + concurrency,
					"--kafka.worker.workers." + WORKER + ".group-id=" + topic,
					"--kafka.worker.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s");
	}

	private static void awaitEveryInstanceHoldsPartitions(String groupId, long seed) {
		Seed.of(seed)
			.await("every instance holds partitions", Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(Broker.stableAssignments(groupId))
				.as("assignments of a stable group (seed %d)", seed)
				.hasSize(INSTANCES)
				.noneMatch(Set::isEmpty));
	}

	/**
	 * Close every instance on its own thread, all released at once by one latch.
	 * @return how long each close took, in milliseconds
	 */
	private static List<Long> closeAllAtOnce(List<ConfigurableApplicationContext> instances) throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<Long>> closes = new ArrayList<>();
		for (ConfigurableApplicationContext instance : instances) {
			CompletableFuture<Long> close = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					go.await();
					long started = System.nanoTime();
					instance.close();
					close.complete(Duration.ofNanos(System.nanoTime() - started).toMillis());
				}
				catch (Throwable ex) {
					close.completeExceptionally(ex);
				}
			}, "close-" + closes.size());
			thread.start();
			closes.add(close);
		}
		go.countDown();
		List<Long> millis = new ArrayList<>();
		for (CompletableFuture<Long> close : closes) {
			millis.add(close.get(SHUTDOWN_TIMEOUT.multipliedBy(3).toSeconds(), TimeUnit.SECONDS));
		}
		return millis;
	}

	private static void assertClosedQuickly(List<Long> closeMillis, CapturedOutput output, long seed) {
		List<String> warnings = output.getAll()
			.lines()
			.filter((line) -> line.contains("could not commit before leaving its group")
					|| line.contains("has not left its group within the shutdown timeout"))
			.toList();
		// The captured log is the one the drains wrote: each reported its shut down.
		assertThat(shutDownLines(output)).as("drain reports (seed %d)", seed).hasSizeGreaterThanOrEqualTo(INSTANCES);
		assertThat(warnings).as("drain warnings, closes took %s ms (seed %d)", closeMillis, seed).isEmpty();
		assertThat(closeMillis).as("close times in ms (seed %d)", seed)
			.allSatisfy((millis) -> assertThat(millis).isLessThan(CLOSE_LIMIT.toMillis()));
	}

	private static void assertHandledBelow(ContractRecorder recorder, TopicPartition partition, long end, long seed) {
		for (long offset = 0; offset < end; offset++) {
			assertThat(recorder.timesHandled(partition, offset))
				.as("times %s@%d was handled (seed %d)", partition, offset, seed)
				.isPositive();
		}
	}

	private static long handledAtOrAbove(ContractRecorder recorder, Map<TopicPartition, Long> committed) {
		long handled = 0;
		for (Map.Entry<TopicPartition, Long> entry : committed.entrySet()) {
			for (long offset = entry.getValue(); recorder.timesHandled(entry.getKey(), offset) > 0; offset++) {
				handled++;
			}
		}
		return handled;
	}

	private static List<String> shutDownLines(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains("Worker '" + WORKER + "' shut down in")).toList();
	}

	private static void report(String scenario, long seed, List<Long> closeMillis, CapturedOutput output, String more) {
		System.out.println(
				"Concurrent close (" + scenario + ", seed " + seed + "): close times " + closeMillis + " ms; " + more);
		shutDownLines(output).forEach((line) -> System.out.println("  " + line.strip()));
	}

	/**
	 * Write records in small bursts, faster than three instances handle them, until told
	 * to stop, so that the instances close with records in flight and buffered.
	 */
	private static CompletableFuture<Integer> produceUntilStopped(String topic, long seed, AtomicBoolean producing) {
		CompletableFuture<Integer> produced = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			Random random = new Random(seed);
			int count = 0;
			try (KafkaProducer<String, String> producer = Broker.producer()) {
				while (producing.get() && count < MAX_RECORDS) {
					for (int i = 0; i < 100; i++, count++) {
						producer
							.send(new ProducerRecord<>(topic, "key-" + random.nextInt(KEYS), Integer.toString(count)));
					}
					producer.flush();
					Thread.sleep(20);
				}
				producer.flush();
				produced.complete(count);
			}
			catch (Throwable ex) {
				produced.completeExceptionally(ex);
			}
		}, "producer");
		thread.start();
		return produced;
	}

}
