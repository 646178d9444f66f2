package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.event.PartitionsRevokedEvent;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.Hold;
import io.kafkaworker.testsupport.WorkerEventLog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariants of the engine that only show on a real broker while a handler is held on one
 * record: the committed offset is a watermark that never passes a running record, a
 * revocation waits for the records in flight before it commits, and the consumer thread
 * keeps polling (and committing) while a handler runs longer than
 * {@code max.poll.interval.ms}. Each test holds one record's handler with a latch.
 */
class InvariantIntegrationTests {

	private static final String WORKER = "held";

	private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

	/**
	 * Invariant 1 (no commit passes an unfinished record): record N runs while the ones
	 * after it complete; the committed offset stays exactly N for several commit
	 * intervals, then reaches the end once N completes.
	 */
	@Test
	void committedOffsetStaysAtARunningRecordWhileLaterRecordsComplete() {
		String topic = Broker.uniqueName("watermark");
		int records = 60;
		long held = 20;
		// a key per record: KEY mode runs the records after the held one beside it
		Hold hold = holdOneOf(topic, records, held);
		TopicPartition partition = new TopicPartition(topic, 0);
		try (ConfigurableApplicationContext context = start(hold, null, arguments(topic, "KEY", "4")); hold) {
			await().atMost(Duration.ofSeconds(60)).until(() -> hold.handled(0) == records - 1);
			assertThat(hold.reached()).as("the held record reached its handler").isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic, partition) >= held);
			// every record after the held one is complete, and commits are due every
			// 200ms: for ten intervals the group's offset must stay at the running record
			long until = System.nanoTime() + COMMIT_INTERVAL.multipliedBy(10).toNanos();
			while (System.nanoTime() < until) {
				assertThat(committed(topic, partition)).as("committed offset while offset %d runs", held)
					.isEqualTo(held);
				sleep(COMMIT_INTERVAL.dividedBy(2));
			}
			hold.release();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic, partition) == records);
			for (long offset = 0; offset < records; offset++) {
				assertThat(hold.timesHandled(0, offset)).as("times offset %d was handled", offset).isEqualTo(1);
			}
			assertThat(hold.violations()).isEmpty();
		}
	}

	/**
	 * Revocation waits for in-flight records (ConsumerSession.release): a second instance
	 * joins while a record runs; the first instance's revocation completes only after the
	 * record does, commits just past it, and the record is never handled again.
	 */
	@Test
	void revocationWaitsForTheRecordInFlightThenCommitsPastIt() {
		String topic = Broker.uniqueName("revoke-wait");
		int records = 40;
		long held = 10;
		Hold hold = holdOneOf(topic, records, held);
		TopicPartition partition = new TopicPartition(topic, 0);
		// eager: the join revokes every partition of the first instance, whoever gets it
		String[] arguments = CommandLineArguments.merge(List.of(arguments(topic, "PARTITION", "2")),
				"--kafka.worker.workers." + WORKER + ".revoke-timeout=60s",
				"--spring.kafka.consumer.properties.partition.assignment.strategy="
						+ "org.apache.kafka.clients.consumer.RangeAssignor");
		try (WorkerEventLog firstEvents = new WorkerEventLog(topic);
				ConfigurableApplicationContext first = start(hold, firstEvents, arguments);
				hold) {
			await().atMost(Duration.ofSeconds(60)).until(hold::reached);
			await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic, partition) == held);
			try (ConfigurableApplicationContext second = start(hold, null, arguments)) {
				// The join makes the first instance revoke the partition; its consumer
				// thread then stops polling while it waits for the held record.
				WorkerView worker = first.getBean(WorkerRegistry.class).find(WORKER);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> !firstEvents.revocations().isEmpty()
							|| worker.snapshot().sinceLastPoll().compareTo(Duration.ofSeconds(3)) > 0);
				assertThat(firstEvents.revocations()).as("revocations before the in-flight record completed").isEmpty();
				assertThat(committed(topic, partition)).as("committed offset while the revocation waits")
					.isEqualTo(held);
				hold.release();
				await().atMost(Duration.ofSeconds(60)).until(() -> !firstEvents.revocations().isEmpty());
				WorkerEventLog.Entry revocation = firstEvents.revocations().get(0);
				assertThat(((PartitionsRevokedEvent) revocation.event()).isLost()).isFalse();
				assertThat(revocation.committed()).as("offsets committed by the revocation")
					.containsEntry(partition, held + 1);
				await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, partition) == records);
			}
		}
		assertThat(hold.timesHandled(0, held)).as("times the held record was handled").isEqualTo(1);
		assertThat(hold.duplicates()).as("records handled twice").isZero();
		assertThat(hold.violations()).isEmpty();
	}

	/**
	 * Invariant 4 (the consumer thread never waits for handlers): one partition's handler
	 * runs longer than {@code max.poll.interval.ms}; meanwhile the consumer keeps
	 * polling, the other partitions keep being handled and committed, and the group never
	 * rebalances.
	 */
	@Test
	void aHandlerRunningLongerThanMaxPollIntervalNeitherStopsPollsNorCausesARebalance() throws Exception {
		String topic = Broker.uniqueName("slow-lane");
		int partitions = 3;
		Broker.createTopic(topic, partitions);
		Duration maxPollInterval = Duration.ofSeconds(6);
		long held = 5;
		produceToEach(topic, partitions, 20);
		Hold hold = new Hold(0, held);
		String[] arguments = CommandLineArguments.merge(List.of(arguments(topic, "PARTITION", "3")),
				"--kafka.worker.workers." + WORKER + ".consumer-properties.max.poll.interval.ms="
						+ maxPollInterval.toMillis(),
				"--kafka.worker.workers." + WORKER + ".revoke-timeout=2s",
				"--kafka.worker.workers." + WORKER + ".commit-timeout=2s");
		try (WorkerEventLog events = new WorkerEventLog(topic);
				ConfigurableApplicationContext context = start(hold, events, arguments);
				hold) {
			await().atMost(Duration.ofSeconds(60)).until(hold::reached);
			long blockedSince = System.nanoTime();
			int assignments = events.assignments().size();
			WorkerView worker = context.getBean(WorkerRegistry.class).find(WORKER);
			// keep records coming to the other partitions for 1.5 max poll intervals
			while (System.nanoTime() - blockedSince < maxPollInterval.multipliedBy(3).dividedBy(2).toNanos()) {
				produceToEach(topic, partitions, 5);
				Map<TopicPartition, Long> ends = Broker.endOffsets(topic);
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
					Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
					for (int p = 1; p < partitions; p++) {
						TopicPartition other = new TopicPartition(topic, p);
						assertThat(committed.get(other)).as("committed offset of %s", other).isEqualTo(ends.get(other));
					}
				});
				WorkerSnapshot snapshot = worker.snapshot();
				assertThat(snapshot.sinceLastPoll()).as("time since the consumer thread last polled")
					.isLessThan(Duration.ofSeconds(3));
				assertThat(committed(topic, new TopicPartition(topic, 0))).as("committed offset of the held partition")
					.isEqualTo(held);
				sleep(Duration.ofSeconds(1));
			}
			assertThat(events.revocations()).as("revocations while a handler ran long").isEmpty();
			assertThat(events.assignments()).as("assignments while a handler ran long").hasSize(assignments);
			hold.release();
			Map<TopicPartition, Long> ends = Broker.endOffsets(topic);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(ends));
			assertThat(events.revocations()).as("revocations").isEmpty();
		}
		assertThat(hold.duplicates()).as("records handled twice").isZero();
		assertThat(hold.violations()).isEmpty();
	}

	private static String[] arguments(String topic, String mode, String concurrency) {
		return new String[] { "--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
				"--spring.kafka.consumer.properties.session.timeout.ms=6000",
				"--spring.kafka.consumer.properties.heartbeat.interval.ms=500",
				"--kafka.worker.workers." + WORKER + ".mode=" + mode,
				"--kafka.worker.workers." + WORKER + ".concurrency=" + concurrency,
				"--kafka.worker.workers." + WORKER + ".group-id=" + topic,
				"--kafka.worker.workers." + WORKER + ".commit-interval=" + COMMIT_INTERVAL.toMillis() + "ms" };
	}

	private static ConfigurableApplicationContext start(Hold hold, WorkerEventLog events, String... arguments) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(HoldApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("hold", hold));
		if (events != null) {
			builder.listeners(events);
		}
		return builder.run(arguments);
	}

	// A topic of one partition and its records, a key each, and a hold on one of them.
	private static Hold holdOneOf(String topic, int records, long held) {
		Broker.createTopic(topic, 1);
		Broker.produce(topic, records, (i) -> new String[] { "key-" + i, Integer.toString(i) });
		return new Hold(0, held);
	}

	private static long committed(String topic, TopicPartition partition) {
		return Broker.committedOffsets(topic, topic).getOrDefault(partition, -1L);
	}

	private static void produceToEach(String topic, int partitions, int perPartition) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			List<ProducerRecord<String, String>> batch = new ArrayList<>();
			for (int i = 0; i < perPartition; i++) {
				for (int p = 0; p < partitions; p++) {
					batch.add(new ProducerRecord<>(topic, p, "key-" + i, Integer.toString(i)));
				}
			}
			batch.forEach(producer::send);
			producer.flush();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HoldApp {

		@Bean
		HoldingWorker holdingWorker(Hold hold) {
			return new HoldingWorker(hold);
		}

	}

	public static class HoldingWorker {

		private final Hold hold;

		HoldingWorker(Hold hold) {
			this.hold = hold;
		}

		@KafkaBatchWorker(id = WORKER, topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.hold.handle(record);
		}

	}

}
