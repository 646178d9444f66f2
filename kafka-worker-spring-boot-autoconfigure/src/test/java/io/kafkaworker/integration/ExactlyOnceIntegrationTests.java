package io.kafkaworker.integration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.Hold;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code delivery = EXACTLY_ONCE} with Kafka transactions, on a real broker: a
 * consume-process-produce worker ({@link TransactionalWorkerApplication}) sends one
 * output per input, and a read_committed consumer of the output must see every input's
 * output exactly once, in key order, whatever happens: handler failures after sending
 * (their transactions abort), a frozen or dead-lettered record, a rebalance between two
 * instances, and SIGKILL of the worker's JVM at random moments. Each test also reads the
 * output read_uncommitted, to show that the aborted sends really happened and were hidden
 * by the abort rather than never made.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExactlyOnceIntegrationTests {

	private static final String WORKER = "transactional";

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "PARTITION", "KEY", "PARALLEL" })
	void everyInputHasExactlyOneCommittedOutputDespiteAbortedAttempts(Mode mode) {
		runFlakyWorkload(mode, (context) -> {
		});
	}

	// A lane-batch call fails or succeeds as a whole: its aborted sends are hidden the
	// same way. The records that shared a failing call with a flaky one count that
	// attempt too, hence more attempts than the default 3 before on-failure applies.
	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "PARTITION", "KEY" })
	void laneBatchHandlersHaveExactlyOneCommittedOutputPerInputDespiteAbortedCalls(Mode mode) {
		runFlakyWorkload(mode,
				(context) -> assertThat(
						context.getBean(TransactionalWorkerApplication.TransactionalBatchWorker.class).largestCall())
					.as("records in the largest call")
					.isGreaterThan(1),
				"--test.batch=true", "--kafka.worker.workers.transactional.batch-size=20",
				"--kafka.worker.workers.transactional.retry.max-attempts=10");
	}

	// A unit gathers later polls of its consumer's other partitions. With 50 records per
	// poll, a poll holds part of one partition, so a unit of more than 50 records
	// gathered several polls; a failure aborts the records of every partition that
	// joined, and each goes back to its first record of the unit.
	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "KEY", "PARALLEL" })
	void unitsGatheringSeveralPollsHaveExactlyOneCommittedOutputPerInputDespiteAbortedAttempts(Mode mode,
			CapturedOutput output) {
		runFlakyWorkload(mode, (context) -> {
		}, "--kafka.worker.workers.transactional.consumer-properties.max.poll.records=50",
				"--logging.level.io.kafkaworker.delivery=debug");
		Matcher units = Pattern.compile("committed a transaction of (\\d+) records").matcher(output.getOut());
		int largest = 0;
		while (units.find()) {
			largest = Math.max(largest, Integer.parseInt(units.group(1)));
		}
		assertThat(largest).as("records in the largest committed unit").isGreaterThan(50);
	}

	// A worker's consumer-properties reach its consumers: max.poll.records bounds the
	// transactional unit, so no lane-batch call can carry more records than one poll.
	@Test
	void aWorkersMaxPollRecordsBoundsItsTransactions() {
		String topic = topics(3);
		int records = 60;
		Broker.produce(topic, records, (i) -> new String[] { "key-" + (i % 4), "ok:" + i });
		try (ConfigurableApplicationContext context = start(topic, "PARTITION", "a-", "--test.batch=true",
				"--kafka.worker.workers.transactional.batch-size=50",
				"--kafka.worker.workers.transactional.consumer-properties.max.poll.records=3")) {
			awaitAllCommitted(topic);
			assertThat(context.getBean(TransactionalWorkerApplication.TransactionalBatchWorker.class).largestCall())
				.as("records in the largest call")
				.isBetween(1, 3);
		}
		assertExactlyOnce(read(topic + ".out", "read_committed"), inputs(topic), "max.poll.records=3");
	}

	// 900 records on 30 keys, about one in 40 "flaky" (fails twice after sending).
	private void runFlakyWorkload(Mode mode, Consumer<ConfigurableApplicationContext> beforeClose, String... extra) {
		String topic = topics(3);
		long seed = Seed.create().value();
		Random random = new Random(seed);
		int records = 900;
		int[] flaky = { 0 };
		Broker.produce(topic, records, (i) -> {
			boolean fails = random.nextInt(40) == 0;
			flaky[0] += fails ? 1 : 0;
			return new String[] { "key-" + random.nextInt(30), (fails ? "flaky:" : "ok:") + i };
		});
		try (ConfigurableApplicationContext context = start(topic, mode.name(), "a-", extra)) {
			awaitAllCommitted(topic);
			beforeClose.accept(context);
		}
		String context = mode + " (seed " + seed + ")";
		List<ConsumerRecord<String, String>> committed = read(topic + ".out", "read_committed");
		assertExactlyOnce(committed, inputs(topic), context);
		if (mode != Mode.PARALLEL) {
			assertKeyOrder(committed, context);
		}
		// A failing attempt waits until its output is in the log before it throws, so
		// the log holds aborted outputs: at least the first failure's, whose unit was
		// still open when it sent (later attempts may find their unit already aborted
		// by another failure, and their send refused).
		assertThat(flaky[0]).as("%s: flaky records", context).isPositive();
		assertThat(read(topic + ".out", "read_uncommitted"))
			.as("%s: outputs including aborted ones; %d flaky records fail twice after sending", context, flaky[0])
			.hasSizeGreaterThan(records);
	}

	@Test
	void aRecordThatKeepsFailingFreezesItsPartitionAtItAndNothingOfItsAttemptsBecomesVisible() {
		String topic = topics(3);
		produceFailingAt(topic, "fail:");
		try (ConfigurableApplicationContext context = start(topic, "KEY", "a-",
				"--kafka.worker.workers.transactional.retry.max-attempts=3")) {
			TopicPartition p1 = new TopicPartition(topic, 1);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).containsEntry(p1, 10L)
					.containsEntry(new TopicPartition(topic, 0), 30L)
					.containsEntry(new TopicPartition(topic, 2), 30L));
			WorkerSnapshot snapshot = endpoint(context).worker(WORKER);
			assertThat(snapshot.frozenRecords()).singleElement().satisfies((frozen) -> {
				assertThat(frozen.scope()).isEqualTo("PARTITION");
				assertThat(frozen.partition()).isEqualTo(1);
				assertThat(frozen.offset()).isEqualTo(10);
				assertThat(frozen.attempts()).isEqualTo(3);
			});
			TransactionalWorkerApplication.TransactionalWorker worker = context
				.getBean(TransactionalWorkerApplication.TransactionalWorker.class);
			assertThat(worker.attempts(1, 10)).isEqualTo(3);
			// Committed: everything but partition 1 from the failed record on.
			assertExactlyOnce(read(topic + ".out", "read_committed"),
					inputs(topic, (coordinates) -> !coordinates.startsWith("1@") || offsetOf(coordinates) < 10),
					"while frozen");
			// Skip it live: the rest of partition 1 commits, the failed record never
			// does.
			assertThat(endpoint(context).act(WORKER, "skip-frozen", topic, 1, null, null, null).records())
				.extracting(FrozenRecord::offset)
				.containsExactly(10L);
			awaitAllCommitted(topic);
			assertExactlyOnce(read(topic + ".out", "read_committed"),
					inputs(topic, (coordinates) -> !coordinates.equals("1@10")), "after the skip");
			assertThat(worker.attempts(1, 10)).isEqualTo(3);
		}
	}

	/**
	 * A call still running when its transaction aborts must not send into the next one:
	 * its record runs again there, and both sends would commit. Found by the chaos suite
	 * (a slow record and a failing one in one transaction).
	 */
	@Test
	void aCallThatOutlivesItsAbortedTransactionCannotSendIntoTheNextOne() {
		String topic = topics(1);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(topic, 0, "k0", "ok:0"));
			producer.send(new ProducerRecord<>(topic, 0, "k1", "held:1"));
			producer.send(new ProducerRecord<>(topic, 0, "k2", "flaky1:2"));
			for (int i = 3; i < 10; i++) {
				producer.send(new ProducerRecord<>(topic, 0, "k" + (i % 3), "ok:" + i));
			}
			producer.flush();
		}
		try (Hold hold = new Hold(0, 1);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(
						TransactionalWorkerApplication.class)
					.web(WebApplicationType.NONE)
					.initializers((initializing) -> initializing.getBeanFactory().registerSingleton("hold", hold))
					.run(arguments(topic, "KEY", "a-"))) {
			TransactionalWorkerApplication.TransactionalWorker worker = context
				.getBean(TransactionalWorkerApplication.TransactionalWorker.class);
			// The held record's first call is running when flaky1:2 fails and aborts the
			// transaction; the next transaction runs flaky1:2 again.
			await().atMost(Duration.ofSeconds(30)).until(() -> hold.reached() && worker.attempts(0, 2) >= 2);
			hold.release();
			awaitAllCommitted(topic);
			assertExactlyOnce(read(topic + ".out", "read_committed"), inputs(topic), "held across an abort");
			assertThat(worker.attempts(0, 1)).isEqualTo(2);
			assertThat(hold.violations()).isEmpty();
		}
	}

	@Test
	void aDeadLetterIsSentInsideTheTransactionThatCommitsPastTheRecord(CapturedOutput output) {
		String topic = topics(3);
		produceFailingAt(topic, "fail:");
		try (ConfigurableApplicationContext context = start(topic, "PARTITION", "a-",
				"--kafka.worker.workers.transactional.on-failure=DEAD_LETTER",
				"--kafka.worker.workers.transactional.retry.max-attempts=2",
				"--logging.structured.format.console=logstash")) {
			awaitAllCommitted(topic);
			assertExactlyOnce(read(topic + ".out", "read_committed"),
					inputs(topic, (coordinates) -> !coordinates.equals("1@10")), "dead letter");
			List<ConsumerRecord<String, String>> deadLetters = read(topic + "-dlt", "read_committed");
			assertThat(deadLetters).singleElement().satisfies((deadLetter) -> {
				assertThat(deadLetter.value()).isEqualTo("fail:10");
				assertThat(new String(deadLetter.headers().lastHeader("kafka_dlt-original-offset").value()))
					.isNotEmpty();
			});
			// The failure policy ran on a lane thread whose log context named the
			// dead-lettered record, not the thread's previous call.
			assertThat(output.getOut().lines().filter((line) -> line.contains("dead-lettered " + topic + "-1@10")))
				.isNotEmpty()
				.allMatch((line) -> line.contains("\"kafka.partition\":\"1\"")
						&& line.contains("\"kafka.offset\":\"10\""));
		}
	}

	/**
	 * A dead letter refused because its transaction aborted while it was sent (another
	 * record of the unit failed) is sent again when the record runs again: the partition
	 * must not freeze under DEAD_LETTER, which needs no operator. Found by the chaos
	 * suite (a poison pill whose dead letter created the topic while a rebalance aborted
	 * the unit: its partition stayed frozen to the end).
	 */
	@Test
	void aDeadLetterWhoseTransactionAbortsWhileItIsSentIsSentAgainInTheNextOne() {
		String topic = topics(1);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(topic, 0, "kp", "fail:0"));
			producer.send(new ProducerRecord<>(topic, 0, "kf", "failAtDeadLetter:1"));
			for (int i = 2; i < 10; i++) {
				producer.send(new ProducerRecord<>(topic, 0, "k" + (i % 3), "ok:" + i));
			}
			producer.flush();
		}
		try (DeadLetterGate gate = new DeadLetterGate(Broker.bootstrapServers());
				ConfigurableApplicationContext context = new SpringApplicationBuilder(
						TransactionalWorkerApplication.class)
					.web(WebApplicationType.NONE)
					.initializers((initializing) -> initializing.getBeanFactory().registerSingleton("gate", gate))
					.run(arguments(topic, "KEY", "a-", "--kafka.worker.workers.transactional.on-failure=DEAD_LETTER",
							"--kafka.worker.workers.transactional.retry.max-attempts=2"))) {
			// fail:0 fails twice; its third run publishes the dead letter, held at the
			// gate, while failAtDeadLetter:1 fails and aborts that run's transaction.
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> gate.failed() && meters.find("kafka.worker.records")
					.tag("outcome", "retry")
					.counters()
					.stream()
					.mapToDouble(Counter::count)
					.sum() >= 2);
			gate.release();
			awaitAllCommitted(topic);
			assertThat(endpoint(context).worker(WORKER).frozenRecords()).isEmpty();
			assertExactlyOnce(read(topic + ".out", "read_committed"),
					inputs(topic, (coordinates) -> !coordinates.equals("0@0")), "dead letter across an abort");
			assertThat(read(topic + "-dlt", "read_committed")).singleElement()
				.satisfies((deadLetter) -> assertThat(deadLetter.value()).isEqualTo("fail:0"));
		}
	}

	@Test
	void aRebalanceBetweenTwoInstancesDuringTransactionsLeavesNoDuplicateOutput() {
		String topic = topics(6);
		long seed = Seed.create().value();
		Random random = new Random(seed);
		int records = 3000;
		Broker.produce(topic, records, (i) -> new String[] { "key-" + random.nextInt(100), "ok:" + i });
		// Units of 500 records (not the default 2,000): the rebalance must fall between
		// units of the first instance, with more of them left for the second.
		String[] slow = { "--test.max-delay-micros=20000", "--test.seed=" + seed,
				"--kafka.worker.workers.transactional.concurrency=4",
				"--kafka.worker.workers.transactional.consumer-properties.max.poll.records=500" };
		ConfigurableApplicationContext first = start(topic, "KEY", "first-", slow);
		ConfigurableApplicationContext second = null;
		try {
			awaitCommittedAtLeast(topic, records / 5);
			second = start(topic, "KEY", "second-", slow);
			awaitCommittedAtLeast(topic, records / 2);
			first.close();
			awaitAllCommitted(topic);
			TransactionalWorkerApplication.TransactionalWorker late = second
				.getBean(TransactionalWorkerApplication.TransactionalWorker.class);
			assertThat(countAttempts(late, topic)).as("the second instance handled records").isPositive();
		}
		finally {
			first.close();
			if (second != null) {
				second.close();
			}
		}
		String context = "rebalance (seed " + seed + ")";
		List<ConsumerRecord<String, String>> committed = read(topic + ".out", "read_committed");
		assertExactlyOnce(committed, inputs(topic), context);
		assertKeyOrder(committed, context);
	}

	@Test
	void killingTheWorkerAtRandomMomentsNeverDuplicatesOrLosesCommittedOutput() throws Exception {
		String topic = topics(4);
		long seed = Seed.create().value();
		Random random = new Random(seed);
		int records = 5000;
		int kills = 3;
		Broker.produce(topic, records, (i) -> new String[] { "key-" + random.nextInt(200), "ok:" + i });
		for (int run = 1; run <= kills + 1; run++) {
			Process worker = startWorkerProcess(topic, run, seed);
			try {
				if (run <= kills) {
					// capped: a fast run may commit everything before the last kill
					long target = Math.min(records, committedSum(topic) + 300 + random.nextInt(records / (2 * kills)));
					await().atMost(Duration.ofSeconds(90)).until(() -> committedSum(topic) >= target);
					// a random moment inside the next transactions
					Thread.sleep(random.nextInt(400));
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
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
		String context = "crashes (seed " + seed + ", worker output in "
				+ Path.of("target", "exactly-once-crash", topic).toAbsolutePath() + ")";
		List<ConsumerRecord<String, String>> committed = read(topic + ".out", "read_committed");
		assertExactlyOnce(committed, inputs(topic), context);
		assertKeyOrder(committed, context);
		assertThat(read(topic + ".out", "read_uncommitted"))
			.as("%s: outputs including those of killed transactions", context)
			.hasSizeGreaterThanOrEqualTo(records);
	}

	private static int countAttempts(TransactionalWorkerApplication.TransactionalWorker worker, String topic) {
		int attempts = 0;
		for (Map.Entry<TopicPartition, Long> end : Broker.endOffsets(topic).entrySet()) {
			for (long offset = 0; offset < end.getValue(); offset++) {
				attempts += worker.attempts(end.getKey().partition(), offset);
			}
		}
		return attempts;
	}

	private static String topics(int partitions) {
		String topic = Broker.uniqueName("eos");
		Broker.createTopic(topic, partitions);
		Broker.createTopic(topic + ".out", 3);
		return topic;
	}

	// Three partitions of 30 records, keys k0..k4 cycling; partition 1 offset 10 (key
	// k0) carries the given value prefix.
	private static void produceFailingAt(String topic, String prefix) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int partition = 0; partition < 3; partition++) {
				for (int i = 0; i < 30; i++) {
					String value = (partition == 1 && i == 10) ? prefix + i : "ok:" + i;
					producer.send(new ProducerRecord<>(topic, partition, "k" + (i % 5), value));
				}
			}
			producer.flush();
		}
	}

	private ConfigurableApplicationContext start(String topic, String mode, String prefix, String... extra) {
		return new SpringApplicationBuilder(TransactionalWorkerApplication.class).web(WebApplicationType.NONE)
			.run(arguments(topic, mode, prefix, extra));
	}

	private static String[] arguments(String topic, String mode, String prefix, String... extra) {
		return CommandLineArguments.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
				"--kafka.worker.workers.transactional.mode=" + mode,
				"--kafka.worker.workers.transactional.delivery=EXACTLY_ONCE",
				"--kafka.worker.workers.transactional.group-id=" + topic,
				"--kafka.worker.workers.transactional.concurrency=8",
				"--kafka.worker.workers.transactional.retry.backoff.initial=20ms",
				"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-" + prefix,
				"--spring.kafka.consumer.properties.session.timeout.ms=6000",
				"--spring.kafka.consumer.properties.heartbeat.interval.ms=500"), extra);
	}

	private Process startWorkerProcess(String topic, int run, long seed) throws IOException {
		// Kept after the test (unlike a @TempDir), for the failure message to point at.
		Path output = Path.of("target", "exactly-once-crash", topic, "run-" + run + ".out");
		return WorkerProcess.start(TransactionalWorkerApplication.class, output, "--test.topic=" + topic,
				"--test.max-delay-micros=1500", "--test.seed=" + seed, "--kafka.worker.workers.transactional.mode=KEY",
				"--kafka.worker.workers.transactional.delivery=EXACTLY_ONCE",
				"--kafka.worker.workers.transactional.concurrency=12",
				"--kafka.worker.workers.transactional.group-id=" + topic,
				// The same prefix in every run: a restarted worker fences its killed
				// predecessor and aborts what it left open at once.
				"--kafka.worker.exactly-once.transactional-id-prefix=" + topic + "-crash-");
	}

	private static KafkaWorkersEndpoint endpoint(ConfigurableApplicationContext context) {
		return new KafkaWorkersEndpoint(context.getBean(WorkerRegistry.class));
	}

	private static void awaitAllCommitted(String topic) {
		Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(60));
	}

	private static void awaitCommittedAtLeast(String topic, long records) {
		await().atMost(Duration.ofSeconds(60)).until(() -> committedSum(topic) >= records);
	}

	private static long committedSum(String topic) {
		long sum = 0;
		for (long offset : Broker.committedOffsets(topic, topic).values()) {
			sum += offset;
		}
		return sum;
	}

	private static List<String> inputs(String topic) {
		return inputs(topic, (coordinates) -> true);
	}

	private static List<String> inputs(String topic, Predicate<String> included) {
		List<String> inputs = new ArrayList<>();
		Broker.endOffsets(topic).forEach((partition, end) -> {
			for (long offset = 0; offset < end; offset++) {
				String coordinates = partition.partition() + "@" + offset;
				if (included.test(coordinates)) {
					inputs.add(coordinates);
				}
			}
		});
		return inputs;
	}

	private static long offsetOf(String coordinates) {
		return Long.parseLong(coordinates.substring(coordinates.indexOf('@') + 1));
	}

	private static void assertExactlyOnce(List<ConsumerRecord<String, String>> outputs, List<String> inputs,
			String context) {
		Map<String, Integer> counts = new HashMap<>();
		for (ConsumerRecord<String, String> output : outputs) {
			counts.merge(output.value(), 1, Integer::sum);
		}
		List<String> duplicated = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		for (String input : inputs) {
			int count = counts.getOrDefault(input, 0);
			if (count == 0) {
				missing.add(input);
			}
			else if (count > 1) {
				duplicated.add(input + " x" + count);
			}
		}
		assertThat(duplicated).as("%s: inputs with more than one committed output", context).isEmpty();
		assertThat(missing).as("%s: inputs without committed output", context).isEmpty();
		assertThat(outputs).as("%s: committed outputs", context).hasSize(inputs.size());
	}

	// Outputs carry the input's key, so one key's outputs are in one output partition:
	// there, the input offsets of a key must increase.
	private static void assertKeyOrder(List<ConsumerRecord<String, String>> outputs, String context) {
		Map<String, Long> last = new HashMap<>();
		for (ConsumerRecord<String, String> output : outputs) {
			long offset = offsetOf(output.value());
			Long previous = last.put(output.key(), offset);
			assertThat(previous == null || previous < offset)
				.as("%s: key %s output for offset %d after %d", context, output.key(), offset, previous)
				.isTrue();
		}
	}

	private static List<ConsumerRecord<String, String>> read(String topic, String isolation) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo info : consumer.partitionsFor(topic)) {
				partitions.add(new TopicPartition(topic, info.partition()));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			// read_committed: the end is the last stable offset
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!reached(consumer, ends) && System.nanoTime() - deadline < 0) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			assertThat(reached(consumer, ends)).as("read %s to its end", topic).isTrue();
		}
		return records;
	}

	private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey()) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

}
