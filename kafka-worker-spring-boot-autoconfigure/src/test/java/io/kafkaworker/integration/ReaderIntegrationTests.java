package io.kafkaworker.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.event.ReaderFinishedEvent;
import io.kafkaworker.integration.ReaderWorkerApplication.ReadingWorker;
import io.kafkaworker.runtime.ReaderSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readers on a real broker (kefka's Reader): an explicit assignment, a start position, no
 * consumer group and no commits; with {@code stop-at: END} the reader handles every
 * record below the end offsets it saw when it started, once, then stops by itself and
 * says what it read. Records written after it started are not read.
 */
class ReaderIntegrationTests {

	@Test
	void aReaderToTheEndHandlesEveryRecordBelowItOnceThenFinishesWithoutCommitting() throws Exception {
		String topic = topic();
		Seed seed = Seed.create();
		List<String> written = produce(topic, 600, seed, "ok");
		try (ConfigurableApplicationContext context = start(topic,
				"--kafka.worker.workers.reader.reader.stop-at=END")) {
			WorkerView reader = context.getBean(WorkerRegistry.class).find("reader");
			// The end offsets are taken with the partitions, on the consumer's first
			// poll.
			await().atMost(Duration.ofSeconds(30)).until(() -> !reader.snapshot().partitions().isEmpty());
			// written after the reader took its end offsets: never read
			produce(topic, 100, seed, "late");
			await("the reader finishing (" + seed + ")").atMost(Duration.ofSeconds(60))
				.until(() -> reader.snapshot().state() == WorkerSnapshot.State.FINISHED);
			ReaderSnapshot progress = reader.snapshot().reader();
			assertThat(progress).isNotNull();
			assertThat(progress.finished()).isTrue();
			assertThat(progress.partitions()).hasSize(3).allSatisfy((partition) -> {
				assertThat(partition.startOffset()).isZero();
				assertThat(partition.position()).isGreaterThanOrEqualTo(partition.endOffset());
			});
			assertThat(progress.partitions().stream().mapToLong(ReaderSnapshot.ReaderPartition::endOffset).sum())
				.isEqualTo(600);
			ReadingWorker worker = context.getBean(ReadingWorker.class);
			assertThat(new ArrayList<>(worker.handled)).as("records handled (%s)", seed)
				.containsExactlyInAnyOrderElementsOf(written);
			assertThat(worker.finished).hasSize(1);
			ReaderFinishedEvent finished = worker.finished.get(0);
			assertThat(finished.getRecords()).isEqualTo(600);
			assertThat(finished.getPartitions()).hasSize(3)
				.allSatisfy((partition, read) -> assertThat(read.startOffset()).isZero());
		}
		assertThat(Broker.committedOffsets(topic, topic)).as("offsets committed by the reader's group id").isEmpty();
	}

	@Test
	void aReaderStartsAtTheOffsetsOfItsPartitions() throws Exception {
		String topic = topic();
		List<String> written = produce(topic, 300, Seed.create(), "ok");
		Set<String> expected = new HashSet<>();
		for (String record : written) {
			String[] parts = record.split("@");
			int partition = Integer.parseInt(parts[0]);
			long offset = Long.parseLong(parts[1]);
			if ((partition == 0 && offset >= 10) || (partition == 2 && offset >= 3)) {
				expected.add(record);
			}
		}
		try (ConfigurableApplicationContext context = start(topic, "--kafka.worker.workers.reader.reader.stop-at=END",
				"--kafka.worker.workers.reader.reader.partitions=0,2",
				"--kafka.worker.workers.reader.reader.start=OFFSETS",
				"--kafka.worker.workers.reader.reader.start-offsets." + topic + "-0=10",
				"--kafka.worker.workers.reader.reader.start-offsets." + topic + "-2=3")) {
			awaitFinished(context);
			assertThat(new HashSet<>(context.getBean(ReadingWorker.class).handled)).isEqualTo(expected);
		}
	}

	@Test
	void aReaderStartsAtATimestamp() throws Exception {
		String topic = topic();
		Seed seed = Seed.create();
		produce(topic, 100, seed, "before");
		Thread.sleep(50);
		Instant start = Instant.now();
		Thread.sleep(50);
		List<String> after = produce(topic, 100, seed, "after");
		try (ConfigurableApplicationContext context = start(topic, "--kafka.worker.workers.reader.reader.stop-at=END",
				"--kafka.worker.workers.reader.reader.start=TIMESTAMP",
				"--kafka.worker.workers.reader.reader.start-timestamp=" + start)) {
			awaitFinished(context);
			assertThat(new ArrayList<>(context.getBean(ReadingWorker.class).handled))
				.containsExactlyInAnyOrderElementsOf(after);
		}
	}

	// A record that keeps failing freezes the reader at it: it does not finish until an
	// operator skips the record, and then it has read every other record.
	@Test
	void aFrozenRecordHoldsTheReaderUntilItIsSkipped() throws Exception {
		String topic = topic();
		Seed seed = Seed.create();
		List<String> written = new ArrayList<>(produce(topic, 100, seed, "ok"));
		String poison = produce(topic, 1, seed, "poison").get(0);
		written.addAll(produce(topic, 100, seed, "ok"));
		try (ConfigurableApplicationContext context = start(topic, "--kafka.worker.workers.reader.reader.stop-at=END",
				"--kafka.worker.workers.reader.retry.max-attempts=2",
				"--kafka.worker.workers.reader.retry.backoff.initial=10ms")) {
			WorkerView reader = context.getBean(WorkerRegistry.class).find("reader");
			await().atMost(Duration.ofSeconds(60)).until(() -> !reader.snapshot().frozenRecords().isEmpty());
			Thread.sleep(500);
			assertThat(reader.snapshot().state()).as("a frozen reader").isEqualTo(WorkerSnapshot.State.RUNNING);
			int partition = Integer.parseInt(poison.split("@")[0]);
			assertThat(reader.skipFrozen(topic, partition, null, false)).hasSize(1);
			awaitFinished(context);
			ReadingWorker worker = context.getBean(ReadingWorker.class);
			assertThat(new HashSet<>(worker.handled)).isEqualTo(new HashSet<>(written));
			assertThat(worker.finished.get(0).getRecords()).isEqualTo(201);
		}
	}

	// A backfill job: the application exits with status 0 once its reader reached its
	// end.
	@Test
	void aReaderWithExitWhenDoneEndsTheApplicationWithStatusZero() throws Exception {
		String topic = topic();
		produce(topic, 200, Seed.create(), "ok");
		Path output = Path.of("target", "reader-exit", topic + ".out");
		Process process = WorkerProcess.start(ReaderWorkerApplication.class, output, "--test.topic=" + topic,
				"--kafka.worker.workers.reader.reader.enabled=true", "--kafka.worker.workers.reader.reader.stop-at=END",
				"--kafka.worker.workers.reader.reader.exit-when-done=true");
		try {
			assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the application exiting (output in %s)", output)
				.isTrue();
			assertThat(process.exitValue()).as("exit status (output in %s)", output).isZero();
			assertThat(Files.readString(output)).contains("read 200 records to the end of");
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static void awaitFinished(ConfigurableApplicationContext context) {
		WorkerView reader = context.getBean(WorkerRegistry.class).find("reader");
		await("the reader finishing").atMost(Duration.ofSeconds(60))
			.until(() -> reader.snapshot().state() == WorkerSnapshot.State.FINISHED);
	}

	private static String topic() {
		String topic = Broker.uniqueName("reader");
		Broker.createTopic(topic, 3);
		return topic;
	}

	// Records on 20 keys; returns each one's partition@offset.
	private static List<String> produce(String topic, int records, Seed seed, String prefix) throws Exception {
		Random random = seed.random();
		List<String> written = new ArrayList<>();
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			List<Future<RecordMetadata>> sends = new ArrayList<>();
			for (int i = 0; i < records; i++) {
				sends.add(producer.send(new ProducerRecord<>(topic, "key-" + random.nextInt(20), prefix + ":" + i)));
			}
			for (Future<RecordMetadata> send : sends) {
				RecordMetadata metadata = send.get(30, TimeUnit.SECONDS);
				written.add(metadata.partition() + "@" + metadata.offset());
			}
		}
		return written;
	}

	private static ConfigurableApplicationContext start(String topic, String... extra) {
		String[] arguments = CommandLineArguments
			.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(), "--test.topic=" + topic,
					"--kafka.worker.workers.reader.reader.enabled=true",
					"--kafka.worker.workers.reader.group-id=" + topic, "--kafka.worker.workers.reader.concurrency=8"),
					extra);
		return new SpringApplicationBuilder(ReaderWorkerApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

}
