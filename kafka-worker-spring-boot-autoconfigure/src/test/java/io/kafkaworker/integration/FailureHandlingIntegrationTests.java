package io.kafkaworker.integration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.LongStream;

import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.event.PartitionFrozenEvent;
import io.kafkaworker.event.PartitionUnfrozenEvent;
import io.kafkaworker.event.PartitionsAssignedEvent;
import io.kafkaworker.event.RecordFailedEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.FailureRecorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Failure handling on a real broker: each policy and each freeze scope. Every topic has
 * three partitions of {@value #PER_PARTITION} records with keys {@code k0}..{@code k4}
 * cycling; partition 1 holds the failing record at offset {@value #FAILED}, with key
 * {@code k0}.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureHandlingIntegrationTests {

	private static final int PER_PARTITION = 30;

	private static final long FAILED = 10;

	private static final String WORKER = "failing";

	private final FailureRecorder recorder = new FailureRecorder();

	private String topic;

	private TopicPartition p0;

	private TopicPartition p1;

	private TopicPartition p2;

	@BeforeEach
	void createTopic() {
		this.topic = Broker.uniqueName("failures");
		Broker.createTopic(this.topic, 3);
		this.p0 = new TopicPartition(this.topic, 0);
		this.p1 = new TopicPartition(this.topic, 1);
		this.p2 = new TopicPartition(this.topic, 2);
	}

	@Test
	void freezeStopsThePartitionExactlyAtTheFailedRecordWhileTheOthersFlowThenSkipMovesPastIt() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("PARTITION")) {
			awaitFrozenAt(this.p1, FAILED);
			assertThat(this.recorder.attempts(this.topic, 1, FAILED)).isEqualTo(3);
			assertThat(this.recorder.handledOffsets(this.p1)).containsExactlyElementsOf(offsets(0, FAILED));
			WorkerSnapshot snapshot = endpoint(context).worker(WORKER);
			assertThat(snapshot.frozenRecords()).singleElement().satisfies((frozen) -> {
				assertThat(frozen.scope()).isEqualTo("PARTITION");
				assertThat(frozen.partition()).isEqualTo(1);
				assertThat(frozen.offset()).isEqualTo(FAILED);
				assertThat(frozen.key()).isEqualTo("k0");
				assertThat(frozen.attempts()).isEqualTo(3);
				assertThat(frozen.exception()).isEqualTo(IllegalStateException.class.getName());
				assertThat(frozen.message()).isEqualTo("Cannot handle fail:p1-10");
			});
			assertThat(partition(snapshot, 1).pausedFor()).contains("FROZEN");
			assertThat(this.recorder.events(RecordFailedEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.getAttempts()).isEqualTo(3));
			assertThat(this.recorder.events(PartitionFrozenEvent.class)).hasSize(1);
			// the other partitions keep flowing while partition 1 is frozen
			produceTo(0, 10);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.recorder.handledOffsets(this.p0).size() == PER_PARTITION + 10);
			assertThat(this.recorder.handledOffsets(this.p1)).hasSize((int) FAILED);
			// skip, live
			assertThat(endpoint(context).act(WORKER, "skip-frozen", this.topic, 1, null, null, null).records())
				.extracting(FrozenRecord::offset)
				.containsExactly(FAILED);
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.handledOffsets(this.p1)).doesNotContain(FAILED).hasSize(PER_PARTITION - 1);
			assertThat(this.recorder.events(PartitionUnfrozenEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.getResolution()).isEqualTo(Resolution.SKIPPED));
			assertThat(partition(endpoint(context).worker(WORKER), 1).pausedFor()).isEmpty();
		}
	}

	@Test
	void resumeRetriesTheFrozenRecordLive() {
		// The other keys of partition 1 are slow, so they still have records buffered
		// when
		// k0 freezes: a PARTITION freeze must hold them too.
		produce("fail:", "slow:");
		try (ConfigurableApplicationContext context = start("KEY")) {
			awaitFrozenAt(this.p1, FAILED);
			// Every record before the failed one ran, whatever its key (the committed
			// offset
			// is exactly the failed record). Records of other keys that started while the
			// failed one was being retried may finish, but none of the partition starts
			// once it froze.
			assertThat(this.recorder.handledOffsets(this.p1)).containsAll(offsets(0, FAILED));
			assertThat(this.recorder.startedAfter(this.p1, PartitionFrozenEvent.class)).isEmpty();
			assertThat(this.recorder.handledOffsets(this.p1)).as("records held behind the freeze")
				.hasSizeLessThan(PER_PARTITION - 8);
			int handledInPartition = this.recorder.handledOffsets(this.p1).size();
			// while frozen, partition 1 makes no progress at all, whatever the key
			produceTo(0, 10);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.recorder.handledOffsets(this.p0).size() == PER_PARTITION + 10);
			assertThat(this.recorder.handledOffsets(this.p1)).hasSize(handledInPartition);
			this.recorder.heal("fail:p1-10");
			assertThat(endpoint(context).act(WORKER, "resume-frozen", this.topic, 1, null, null, null).records())
				.hasSize(1);
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.attempts(this.topic, 1, FAILED)).isEqualTo(4);
			assertThat(this.recorder.handledOffsets(this.p1)).containsExactlyInAnyOrderElementsOf(offsets(0, 30));
			assertThat(this.recorder.events(PartitionUnfrozenEvent.class)).singleElement()
				.satisfies((event) -> assertThat(event.getResolution()).isEqualTo(Resolution.RESUMED));
		}
	}

	@Test
	void keyScopeFreezesOnlyTheFailedKeyAndBoundsTheRecordsHeldBehindIt() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("KEY", "--kafka.worker.workers.failing.freeze.scope=KEY",
				"--kafka.worker.workers.failing.freeze.max-held-records=2")) {
			awaitCommitted(this.p1, FAILED);
			// every other key of partition 1 runs to the end, k0 stops at the failed
			// record
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(this.recorder.handledOffsets(this.p1))
					.containsExactlyInAnyOrderElementsOf(LongStream.range(0, PER_PARTITION)
						.filter((offset) -> offset < FAILED || offset % 5 != 0)
						.boxed()
						.toList()));
			awaitCommitted(this.p0, PER_PARTITION);
			awaitCommitted(this.p2, PER_PARTITION);
			assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(this.p1, FAILED);
			WorkerSnapshot snapshot = endpoint(context).worker(WORKER);
			assertThat(snapshot.frozenRecords()).singleElement().satisfies((frozen) -> {
				assertThat(frozen.scope()).isEqualTo("KEY");
				assertThat(frozen.key()).isEqualTo("k0");
			});
			// three records of k0 wait behind it, more than max-held-records
			assertThat(partition(snapshot, 1).pausedFor()).containsExactly("FROZEN_KEYS_BACKLOG");
			assertThat(endpoint(context).act(WORKER, "skip-frozen", this.topic, 1, "k1", null, null).records())
				.as("no freeze of key k1")
				.isEmpty();
			assertThat(endpoint(context).act(WORKER, "skip-frozen", this.topic, 1, "k0", null, null).records())
				.hasSize(1);
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.handledOffsets(this.p1)).hasSize(PER_PARTITION - 1);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(partition(endpoint(context).worker(WORKER), 1).pausedFor()).isEmpty());
		}
	}

	@Test
	void restartResumesAtTheFrozenRecord() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("PARTITION")) {
			awaitFrozenAt(this.p1, FAILED);
		}
		assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(this.p1, FAILED)
			.containsEntry(this.p0, (long) PER_PARTITION);
		FailureRecorder first = this.recorder;
		FailureRecorder second = new FailureRecorder();
		try (ConfigurableApplicationContext context = start(second, "PARTITION")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> second.attempts(this.topic, 1, FAILED) == 3);
			assertThat(second.handledOffsets(this.p1)).isEmpty();
			assertThat(second.handledOffsets(this.p0)).isEmpty();
			// The third attempt is counted when the handler is called; the freeze follows
			// once it has thrown.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(endpoint(context).worker(WORKER).frozenRecords())
					.extracting(FrozenRecord::offset)
					.containsExactly(FAILED));
		}
		assertThat(first.attempts(this.topic, 1, FAILED)).isEqualTo(3);
		assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(this.p1, FAILED);
	}

	@Test
	void deadLetterPublishesTheRecordWithEveryHeaderAndGoesOn() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("PARTITION",
				"--kafka.worker.workers.failing.on-failure=DEAD_LETTER")) {
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.wasHandled(this.topic, 1, FAILED)).isFalse();
			assertThat(this.recorder.handledOffsets(this.p1)).hasSize(PER_PARTITION - 1);
			List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(this.topic + "-dlt", 1);
			assertThat(deadLetters).singleElement().satisfies((dead) -> {
				assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("k0");
				assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("fail:p1-10");
				assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(this.topic);
				assertThat(ByteBuffer.wrap(header(dead, KafkaHeaders.DLT_ORIGINAL_PARTITION)).getInt()).isEqualTo(1);
				assertThat(ByteBuffer.wrap(header(dead, KafkaHeaders.DLT_ORIGINAL_OFFSET)).getLong()).isEqualTo(FAILED);
				assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_FQCN))
					.isEqualTo(IllegalStateException.class.getName());
				assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("Cannot handle fail:p1-10");
				assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).contains("FailureRecorder.handle");
				assertThat(text(dead, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo(this.topic);
				assertThat(ByteBuffer.wrap(header(dead, KafkaHeaders.DELIVERY_ATTEMPT)).getInt()).isEqualTo(3);
			});
		}
	}

	@Test
	void skipLogsTheRecordsCoordinatesAndGoesOn(CapturedOutput output) {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("KEY", "--kafka.worker.workers.failing.on-failure=SKIP")) {
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.handledOffsets(this.p1)).hasSize(PER_PARTITION - 1);
			assertThat(output).contains("Worker 'failing' skipped " + this.topic + "-1@10 after 3 attempts");
		}
	}

	@Test
	void stopStopsTheWorkerWithTheOffsetAtTheFailedRecord() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("PARTITION",
				"--kafka.worker.workers.failing.on-failure=STOP")) {
			KafkaListenerEndpointRegistry registry = context.getBean(KafkaListenerEndpointRegistry.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !registry.getListenerContainer(WORKER).isRunning()
						&& endpoint(context).worker(WORKER).state() == WorkerSnapshot.State.STOPPED);
			assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(this.p1, FAILED);
		}
	}

	@Test
	void poisonPillIsFrozenWithoutRetriesNeverReachesTheHandlerAndSkipsToTheDeadLetterTopic() {
		produce("poison:");
		try (ConfigurableApplicationContext context = start("PARTITION",
				"--spring.kafka.consumer.value-deserializer=" + PoisonAwareStringDeserializer.class.getName(),
				"--kafka.worker.workers.failing.dead-letter.topic-suffix=.dlt")) {
			awaitFrozenAt(this.p1, FAILED);
			assertThat(this.recorder.attempts(this.topic, 1, FAILED)).as("the handler never saw it").isZero();
			assertThat(endpoint(context).worker(WORKER).frozenRecords()).singleElement().satisfies((frozen) -> {
				assertThat(frozen.attempts()).isEqualTo(1);
				assertThat(frozen.exception()).endsWith("DeserializationException");
			});
			awaitCommitted(this.p0, PER_PARTITION);
			assertThat(endpoint(context).act(WORKER, "skip-frozen", this.topic, 1, null, null, true).records())
				.hasSize(1);
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(readAll(this.topic + ".dlt", 1)).as("the dead-letter topic of the worker's suffix")
				.singleElement()
				.satisfies((dead) -> {
					assertThat(new String(dead.value(), StandardCharsets.UTF_8)).as("the original bytes")
						.isEqualTo("poison:p1-10");
					assertThat(text(dead, KafkaHeaders.DLT_EXCEPTION_FQCN)).endsWith("DeserializationException");
				});
		}
	}

	@Test
	void retriesKeepTheKeysOrder() {
		produce("flaky:");
		try (ConfigurableApplicationContext context = start("KEY",
				"--kafka.worker.workers.failing.retry.max-attempts=5")) {
			awaitCommitted(this.p1, PER_PARTITION);
			assertThat(this.recorder.attempts(this.topic, 1, FAILED)).isEqualTo(3);
			List<Long> k0 = this.recorder.handledInOrder()
				.stream()
				.filter((record) -> record.partition() == 1 && "k0".equals(record.key()))
				.map(ConsumerRecord::offset)
				.toList();
			assertThat(k0).containsExactly(0L, 5L, 10L, 15L, 20L, 25L);
			assertThat(this.recorder.events(RecordFailedEvent.class)).isEmpty();
		}
	}

	@Test
	void shutdownDuringABackoffFinishesPromptly() {
		produce("fail:");
		ConfigurableApplicationContext context = start("PARTITION",
				"--kafka.worker.workers.failing.retry.max-attempts=5",
				"--kafka.worker.workers.failing.retry.backoff.initial=60s",
				"--kafka.worker.workers.failing.retry.backoff.max=60s");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.recorder.attempts(this.topic, 1, FAILED) == 1);
		awaitCommitted(this.p1, FAILED);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		assertThat(this.recorder.attempts(this.topic, 1, FAILED)).isEqualTo(1);
		assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(this.p1, FAILED);
	}

	@Test
	void frozenRecordIsRetriedAutomaticallyAfterTheConfiguredDelay() {
		produce("fail:");
		try (ConfigurableApplicationContext context = start("PARTITION",
				"--kafka.worker.workers.failing.freeze.retry-after=1s")) {
			awaitFrozenAt(this.p1, FAILED);
			this.recorder.heal("fail:p1-10");
			awaitCommitted(this.p1, PER_PARTITION);
			// On a loaded machine the first automatic retry may come before the heal and
			// freeze the record again: every unfreeze is such a retry, none by an
			// operator.
			assertThat(this.recorder.events(PartitionUnfrozenEvent.class)).isNotEmpty()
				.allSatisfy((event) -> assertThat(event.getResolution()).isEqualTo(Resolution.RETRIED_AFTER_DELAY));
		}
	}

	@Test
	void seekMovesAPausedWorkersPartition() {
		produce("ok:");
		try (ConfigurableApplicationContext context = start("PARTITION")) {
			awaitCommitted(this.p0, PER_PARTITION);
			KafkaWorkersEndpoint endpoint = endpoint(context);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.act(WORKER, "seek", this.topic, 0, null, 20L, null))
				.withMessageContaining("must be paused");
			endpoint.act(WORKER, "pause", null, null, null, null, null);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> endpoint.worker(WORKER).state() == WorkerSnapshot.State.PAUSED);
			endpoint.act(WORKER, "seek", this.topic, 0, null, 20L, null);
			awaitCommitted(this.p0, 20);
			endpoint.act(WORKER, "resume", null, null, null, null, null);
			await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.attempts(this.topic, 0, 29) == 2);
			assertThat(this.recorder.attempts(this.topic, 0, 19)).isEqualTo(1);
			awaitCommitted(this.p0, PER_PARTITION);
			assertThat(this.recorder.events(PartitionsAssignedEvent.class)).isNotEmpty();
		}
	}

	// Partition 1's record at FAILED has the given value prefix; every other is ok.
	private void produce(String failingPrefix) {
		produce(failingPrefix, "ok:");
	}

	// The other records of partition 1 have their own prefix.
	private void produce(String failingPrefix, String otherPrefixInPartition1) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int partition = 0; partition < 3; partition++) {
				for (int i = 0; i < PER_PARTITION; i++) {
					String prefix = (partition != 1) ? "ok:" : (i == FAILED) ? failingPrefix : otherPrefixInPartition1;
					String value = prefix + "p" + partition + "-" + i;
					producer.send(new ProducerRecord<>(this.topic, partition, "k" + (i % 5), value));
				}
			}
			producer.flush();
		}
	}

	private void produceTo(int partition, int count) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < count; i++) {
				producer.send(new ProducerRecord<>(this.topic, partition, "k" + (i % 5), "ok:more-" + i));
			}
			producer.flush();
		}
	}

	private ConfigurableApplicationContext start(String mode, String... extra) {
		return start(this.recorder, mode, extra);
	}

	private ConfigurableApplicationContext start(FailureRecorder recorder, String mode, String... extra) {
		String[] arguments = CommandLineArguments.merge(List.of(
				"--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + this.topic,
				"--kafka.worker.workers.failing.mode=" + mode, "--kafka.worker.workers.failing.group-id=" + this.topic,
				"--kafka.worker.workers.failing.commit-interval=200ms",
				"--kafka.worker.workers.failing.retry.backoff.initial=20ms",
				"--spring.kafka.consumer.properties.session.timeout.ms=6000"), extra);
		return new SpringApplicationBuilder(FailureApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", recorder))
			.listeners(recorder)
			.run(arguments);
	}

	private void awaitFrozenAt(TopicPartition partition, long offset) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.recorder.events(PartitionFrozenEvent.class)).isNotEmpty();
			assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(partition, offset);
		});
		awaitCommitted(this.p0, PER_PARTITION);
		awaitCommitted(this.p2, PER_PARTITION);
	}

	private void awaitCommitted(TopicPartition partition, long offset) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(Broker.committedOffsets(this.topic, this.topic)).containsEntry(partition, offset));
	}

	private static KafkaWorkersEndpoint endpoint(ConfigurableApplicationContext context) {
		return new KafkaWorkersEndpoint(context.getBean(WorkerRegistry.class));
	}

	private static PartitionSnapshot partition(WorkerSnapshot snapshot, int partition) {
		return snapshot.partitions().stream().filter((p) -> p.partition() == partition).findFirst().orElseThrow();
	}

	private static List<Long> offsets(long from, long to) {
		return LongStream.range(from, to).boxed().toList();
	}

	private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, Broker.uniqueName("reader"));
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (records.size() < expected && System.nanoTime() < deadline) {
				ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
				polled.forEach(records::add);
			}
			// make sure nothing more arrives
			consumer.poll(Duration.ofMillis(500)).forEach(records::add);
		}
		return records;
	}

	private static byte[] header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as("header %s", name).isNotNull();
		return header.value();
	}

	private static String text(ConsumerRecord<?, ?> record, String name) {
		return new String(header(record, name), StandardCharsets.UTF_8);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FailureApp {

		@Bean
		FailingWorker failingWorker(FailureRecorder recorder) {
			return new FailingWorker(recorder);
		}

	}

	public static class FailingWorker {

		private final FailureRecorder recorder;

		FailingWorker(FailureRecorder recorder) {
			this.recorder = recorder;
		}

		@KafkaBatchWorker(id = WORKER, topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.recorder.handle(record);
		}

	}

}
