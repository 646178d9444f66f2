package io.kafkaworker.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.actuate.endpoint.KafkaTableViewsEndpoint;
import io.kafkaworker.health.KafkaTableViewsHealthIndicator;
import io.kafkaworker.runtime.TableSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.state.TableView;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group tables on a real broker: a KEY-mode worker counts each key's records in its table
 * ({@link CounterWorkerApplication}), with randomised keys and records that fail twice
 * after changing their row. The table, read back from its topic, must hold each key's
 * exact count: a failed attempt's change never reaches it, a retried record is counted
 * once, and a restarted worker continues from the table rather than from zero. With
 * exactly-once, the outputs sent with each count must appear once each, 1..n per key in
 * order, though aborted transactions had sent and counted them before.
 */
class GroupTableIntegrationTests {

	@Test
	void atLeastOnceTableHoldsEachKeysExactCountDespiteFailedAttempts() {
		String topic = topics();
		Map<String, Long> expected = produce(topic, 600, Seed.create());
		try (ConfigurableApplicationContext context = start(topic, "AT_LEAST_ONCE")) {
			awaitAllCommitted(topic);
		}
		assertThat(table(topic)).isEqualTo(expected);
	}

	@Test
	void exactlyOnceTableAndOutputsHoldEachCountOnceDespiteAbortedUnits() {
		String topic = topics();
		Broker.createTopic(topic + ".out", 3);
		Map<String, Long> expected = produce(topic, 600, Seed.create());
		try (ConfigurableApplicationContext context = start(topic, "EXACTLY_ONCE", "--test.outputs=true")) {
			awaitAllCommitted(topic);
		}
		assertThat(table(topic)).isEqualTo(expected);
		assertOutputsOnceInOrder(topic, expected, "aborted units");
	}

	// Partitions move to a second instance mid-stream (and back when it stops): the
	// instance that gets a partition restores its rows first, so counts go on exactly.
	@Test
	void exactlyOnceCountsStayExactWhenPartitionsMoveBetweenInstances() {
		String topic = topics();
		Broker.createTopic(topic + ".out", 3);
		Seed seed = Seed.create();
		Map<String, Long> expected = produce(topic, 1500, seed);
		try (ConfigurableApplicationContext first = start(topic, "EXACTLY_ONCE", "--test.outputs=true",
				"--kafka.worker.workers.counter.consumer-properties.max.poll.records=50")) {
			await().atMost(Duration.ofSeconds(60)).until(() -> committedSum(topic) >= 300);
			try (ConfigurableApplicationContext second = start(topic, "EXACTLY_ONCE", "--test.outputs=true",
					"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-second-",
					"--kafka.worker.workers.counter.consumer-properties.max.poll.records=50")) {
				WorkerRegistry registry = second.getBean(WorkerRegistry.class);
				await("the second instance holding partitions").atMost(Duration.ofSeconds(30))
					.until(() -> !registry.find("counter").snapshot().partitions().isEmpty());
				produce(topic, 500, seed).forEach((key, count) -> expected.merge(key, count, Long::sum));
				await().atMost(Duration.ofSeconds(60)).until(() -> committedSum(topic) >= 1200);
			}
			awaitAllCommitted(topic);
		}
		String context = "partitions moving (" + seed + ")";
		assertThat(table(topic)).as(context).isEqualTo(expected);
		assertOutputsOnceInOrder(topic, expected, context);
	}

	// A restart continues from the table. With RocksDB the rows on disk survive the
	// restart with their checkpoints, and the restart reads none of the table's records.
	@ParameterizedTest
	@ValueSource(strings = { "MEMORY", "ROCKSDB" })
	void aRestartedWorkerContinuesFromTheTable(String store, @TempDir Path stores) {
		String topic = topics();
		Seed seed = Seed.create();
		Map<String, Long> expected = produce(topic, 300, seed);
		String[] storeSettings = { "--kafka.worker.workers.counter.table.store=" + store,
				"--kafka.worker.workers.counter.table.directory=" + stores };
		try (ConfigurableApplicationContext context = start(topic, "AT_LEAST_ONCE", storeSettings)) {
			awaitAllCommitted(topic);
		}
		produce(topic, 300, seed).forEach((key, count) -> expected.merge(key, count, Long::sum));
		try (ConfigurableApplicationContext context = start(topic, "AT_LEAST_ONCE", storeSettings)) {
			awaitAllCommitted(topic);
			double restored = context.getBean(MeterRegistry.class)
				.get("kafka.worker.table.restored")
				.tag("worker", "counter")
				.counter()
				.count();
			TableSnapshot table = context.getBean(WorkerRegistry.class).find("counter").snapshot().table();
			assertThat(table).isEqualTo(new TableSnapshot(topic + "-table", store.equals("ROCKSDB"), List.of()));
			if (store.equals("ROCKSDB")) {
				assertThat(restored).as("table records read after a restart from checkpoints").isZero();
			}
			else {
				assertThat(restored).as("table records read after a restart").isGreaterThanOrEqualTo(20);
			}
		}
		assertThat(table(topic)).as("counts after a restart (%s, %s)", store, seed).isEqualTo(expected);
	}

	// The table's committed state is the fold of the inputs, exactly, through a graceful
	// stop and then SIGKILLs of the worker's JVM inside its transactions, and each output
	// appears once. With RocksDB the stop leaves checkpoints that the next run reads only
	// the table's tail from; that run is killed with its rows ahead of the table (changes
	// of transactions that never commit), and the run after it must not trust them.
	// At least once, no update is lost: every key counts at least its records (a record
	// redelivered after a kill counts again).
	@ParameterizedTest
	@CsvSource({ "MEMORY, EXACTLY_ONCE", "ROCKSDB, EXACTLY_ONCE", "ROCKSDB, AT_LEAST_ONCE" })
	void tableSurvivesAStopAndKillsOfTheWorkersJvm(String store, String delivery) throws Exception {
		boolean exactlyOnce = delivery.equals("EXACTLY_ONCE");
		String topic = topics();
		Broker.createTopic(topic + ".out", 3);
		Seed seed = Seed.create();
		Random random = seed.random();
		int records = 3000;
		int stops = 3;
		Path runs = Path.of("target", "table-crash", topic);
		Map<String, Long> expected = produce(topic, records, seed);
		for (int run = 1; run <= stops + 1; run++) {
			Process worker = WorkerProcess.start(CounterWorkerApplication.class, runs.resolve("run-" + run + ".out"),
					"--test.topic=" + topic, "--test.outputs=" + exactlyOnce,
					"--kafka.worker.workers.counter.delivery=" + delivery, "--test.work-ms=" + (exactlyOnce ? 0 : 5),
					"--kafka.worker.workers.counter.group-id=" + topic, "--kafka.worker.workers.counter.concurrency=8",
					"--kafka.worker.workers.counter.retry.backoff.initial=10ms",
					"--kafka.worker.workers.counter.table.store=" + store,
					"--kafka.worker.workers.counter.table.directory=" + runs.resolve("stores").toAbsolutePath(),
					"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-crash-");
			try {
				if (run <= stops) {
					long target = Math.min(records, committedSum(topic) + 300 + random.nextInt(records / (2 * stops)));
					await().atMost(Duration.ofSeconds(90)).until(() -> committedSum(topic) >= target);
					Thread.sleep(random.nextInt(300));
					if (run == 1) {
						worker.destroy();
					}
					else {
						worker.destroyForcibly();
					}
					assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
				}
				else {
					Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(120));
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
		}
		String context = store + ", " + delivery + ", a stop then kills (" + seed + ", worker output in " + runs + ")";
		Map<String, Long> table = table(topic);
		if (exactlyOnce) {
			assertThat(table).as(context).isEqualTo(expected);
			assertOutputsOnceInOrder(topic, expected, context);
		}
		else {
			assertThat(table).as(context).containsOnlyKeys(expected.keySet());
			expected.forEach(
					(key, count) -> assertThat(table.get(key)).as(context + ": " + key).isGreaterThanOrEqualTo(count));
		}
		if (store.equals("ROCKSDB")) {
			assertThat(Files.readString(runs.resolve("run-2.out"))).as("run 2 restoring from checkpoints")
				.contains("(from checkpoints {");
		}
	}

	private static long committedSum(String topic) {
		return Broker.committedOffsets(topic, topic).values().stream().mapToLong(Long::longValue).sum();
	}

	private static void assertOutputsOnceInOrder(String topic, Map<String, Long> expected, String context) {
		Map<String, List<String>> outputs = new LinkedHashMap<>();
		for (ConsumerRecord<String, String> output : read(topic + ".out", new StringDeserializer())) {
			outputs.computeIfAbsent(output.key(), (key) -> new ArrayList<>()).add(output.value());
		}
		expected.forEach((key, count) -> {
			List<String> values = new ArrayList<>();
			for (long i = 1; i <= count; i++) {
				values.add(key + "=" + i);
			}
			assertThat(outputs.get(key)).as("%s: outputs of %s", context, key).isEqualTo(values);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "MEMORY", "ROCKSDB" })
	@SuppressWarnings("unchecked")
	void aViewRecoversTheTableAndFollowsItsChanges(String store, @TempDir Path views) throws InterruptedException {
		String topic = topics();
		Seed seed = Seed.create();
		Map<String, Long> expected = produce(topic, 300, seed);
		try (ConfigurableApplicationContext context = start(topic, "EXACTLY_ONCE",
				"--kafka.worker.views.counts.topic=" + topic + "-table",
				"--kafka.worker.views.counts.value-type=java.lang.Long", "--kafka.worker.views.counts.store=" + store,
				"--kafka.worker.views.counts.directory=" + views)) {
			awaitAllCommitted(topic);
			TableView<String, Long> counts = context.getBean("counts", TableView.class);
			assertThat(counts.awaitRecovered(Duration.ofSeconds(30))).isTrue();
			assertThat(context.getBean(KafkaTableViewsHealthIndicator.class).health(true).getStatus())
				.as("readiness of the recovered view")
				.isEqualTo(Status.UP);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(counts)).isEqualTo(expected));
			assertThat(counts.range("key-1", "key-2")).containsOnlyKeys(expected.keySet()
				.stream()
				.filter((key) -> key.compareTo("key-1") >= 0 && key.compareTo("key-2") < 0)
				.toList());

			produce(topic, 300, seed).forEach((key, count) -> expected.merge(key, count, Long::sum));
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(counts)).isEqualTo(expected));
			assertThat(counts.lag()).isZero();
			KafkaTableViewsEndpoint endpoint = new KafkaTableViewsEndpoint(context,
					ApplicationConversionService.getSharedInstance());
			String someKey = expected.keySet().iterator().next();
			assertThat(endpoint.row("counts", someKey).value()).isEqualTo(expected.get(someKey));
			assertThat(endpoint.row("counts", "no-such-key")).isNull();
			assertThat(endpoint.views().get("counts").recovered()).isTrue();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("kafka.worker.view.rows").tag("view", "counts").gauge().value())
				.isEqualTo(expected.size());
			assertThat(meters.get("kafka.worker.table.restore.duration").tag("worker", "counter").timer().count())
				.as("restores of the worker's table")
				.isPositive();
		}
		assertThat(views).as("a RocksDB view's directory, once it stopped").isEmptyDirectory();
	}

	private static Map<String, Long> rows(TableView<String, Long> view) {
		Map<String, Long> rows = new HashMap<>();
		view.forEach(rows::put);
		return rows;
	}

	@Test
	void aTableTopicPartitionedUnlikeTheInputStopsTheWorkerBeforeAnyRecordRuns() {
		String topic = topics();
		Broker.createTopic(topic + "-table", 2);
		produce(topic, 30, Seed.create());
		try (ConfigurableApplicationContext context = start(topic, "AT_LEAST_ONCE")) {
			WorkerRegistry registry = context.getBean(WorkerRegistry.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> registry.find("counter").snapshot().state() == WorkerSnapshot.State.STOPPED);
			assertThat(registry.find("counter").snapshot().inFlightRecords()).isZero();
		}
		assertThat(Broker.committedOffsets(topic, topic).values()).allMatch((offset) -> offset == 0);
		assertThat(table(topic)).isEmpty();
	}

	// The handler returns before the table acknowledges its write: a record completes
	// only
	// on the acknowledgment. A table topic that refuses every write (each batch is larger
	// than its max.message.bytes) must leave every input offset uncommitted and stop the
	// worker, though every handler call succeeded.
	@Test
	void atLeastOnceRecordsWhoseTableWriteIsRefusedAreNeverCommittedAndStopTheWorker() throws Exception {
		String topic = topics();
		try (Admin admin = Broker.admin()) {
			admin
				.createTopics(List
					.of(new NewTopic(topic + "-table", 3, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
							TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "50"))))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		produce(topic, 60, Seed.create());
		try (ConfigurableApplicationContext context = start(topic, "AT_LEAST_ONCE")) {
			WorkerRegistry registry = context.getBean(WorkerRegistry.class);
			await("the worker stopping").atMost(Duration.ofSeconds(60))
				.until(() -> registry.find("counter").snapshot().state() == WorkerSnapshot.State.STOPPED);
		}
		assertThat(Broker.committedOffsets(topic, topic).values()).as("committed offsets")
			.allMatch((offset) -> offset == 0);
		assertThat(table(topic)).isEmpty();
	}

	// Loopback: each input record adds 1 to its key's row and loops a record to another
	// key, which adds 1000 there. Exactly once, the table must hold every key's exact
	// total though flaky records looped before their attempts failed, and though a key's
	// input and looped records run at the same time on lanes of two topics.
	@Test
	void exactlyOnceLoopbackUpdatesTheOtherKeysRowOnceAndRowsKeepOneWriter() {
		String topic = topics();
		Broker.createTopic(topic + "-loop", 3);
		Seed seed = Seed.create();
		Random random = seed.random();
		Map<String, Long> expected = new HashMap<>();
		Broker.produce(topic, 1000, (i) -> {
			String key = "key-" + random.nextInt(20);
			String other = "key-" + random.nextInt(20);
			expected.merge(key, 1L, Long::sum);
			expected.merge(other, 1000L, Long::sum);
			return new String[] { key, ((random.nextInt(30) == 0) ? "flaky:" : "ok:") + other };
		});
		String[] arguments = CommandLineArguments.merge(List.of(
				"--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
				"--kafka.worker.workers.loopback.delivery=EXACTLY_ONCE",
				"--kafka.worker.workers.loopback.group-id=" + topic, "--kafka.worker.workers.loopback.concurrency=16",
				"--kafka.worker.workers.loopback.retry.backoff.initial=10ms",
				"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LoopbackWorkerApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments)) {
			awaitAllCommitted(topic);
			// The looped records end in transaction markers, which no commit passes:
			// wait for the table instead, then check it again once the worker stopped.
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(table(topic)).as("totals (%s)", seed).isEqualTo(expected));
		}
		assertThat(table(topic)).as("totals after stopping (%s)", seed).isEqualTo(expected);
	}

	private static String topics() {
		String topic = Broker.uniqueName("table");
		Broker.createTopic(topic, 3);
		return topic;
	}

	// Records on 20 keys, about one in 30 flaky.
	private static Map<String, Long> produce(String topic, int records, Seed seed) {
		Random random = seed.random();
		Map<String, Long> counts = new HashMap<>();
		Broker.produce(topic, records, (i) -> {
			String key = "key-" + random.nextInt(20);
			counts.merge(key, 1L, Long::sum);
			return new String[] { key, ((random.nextInt(30) == 0) ? "flaky:" : "ok:") + i };
		});
		return counts;
	}

	private static ConfigurableApplicationContext start(String topic, String delivery, String... extra) {
		String[] arguments = CommandLineArguments
			.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.counter.delivery=" + delivery,
					"--kafka.worker.workers.counter.group-id=" + topic, "--kafka.worker.workers.counter.concurrency=8",
					"--kafka.worker.workers.counter.retry.backoff.initial=10ms",
					"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-"), extra);
		return new SpringApplicationBuilder(CounterWorkerApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

	private static void awaitAllCommitted(String topic) {
		Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(60));
	}

	// The table as a read_committed reader folds it: each key's last value.
	private static Map<String, Long> table(String topic) {
		Map<String, Long> rows = new HashMap<>();
		for (ConsumerRecord<String, Long> row : read(topic + "-table", new LongDeserializer())) {
			if (row.value() == null) {
				rows.remove(row.key());
			}
			else {
				rows.put(row.key(), row.value());
			}
		}
		return rows;
	}

	private static <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> values) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, V>> records = new ArrayList<>();
		try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), values)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

}
