package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.Mode;
import io.kafkaworker.event.KafkaWorkerEvent;
import io.kafkaworker.event.PartitionsAssignedEvent;
import io.kafkaworker.event.PartitionsRevokedEvent;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerEventLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second instance joins a KEY-mode worker's group mid-stream and later leaves, while a
 * producer keeps writing. Nothing may be lost, the group's committed offsets must reach
 * the log end, a key's records must never run on two threads at once (not even across
 * instances during the hand-over), the first delivery of each record must come in offset
 * order per key, and so must every delivery within one owner's tenure of a partition.
 * Each revocation must commit exactly the lowest offset its owner had not completed (it
 * waited for the records in flight), listing in the commit's metadata the records
 * completed above it, so no record is handled twice. Runs with the eager and cooperative
 * classic assignors and with the engine's default: the consumer group protocol of
 * KIP-848, which the test broker offers.
 */
class RebalanceIntegrationTests {

	private static final int PARTITIONS = 6;

	private static final int RECORDS = 20_000;

	private static final int KEYS = 400;

	private static final int CONCURRENCY = 8;

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "eager, group.protocol=classic, org.apache.kafka.clients.consumer.RangeAssignor",
			"cooperative, group.protocol=classic, org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
			"default (KIP-848 where offered), , " })
	void nothingIsLostAndKeyOrderHoldsWhenAnInstanceJoinsAndLeaves(String name, @Nullable String protocol,
			@Nullable String assignor) throws Exception {
		String topic = Broker.uniqueName("rebalance");
		Broker.createTopic(topic, PARTITIONS);
		Seed seed = Seed.create();
		String context = name + ", " + seed;
		// two instances with up to CONCURRENCY calls each; strict order within each
		// owner's tenure of a partition, which the event log tells the recorder about
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, 2 * CONCURRENCY, true);
		List<String> arguments = arguments(topic, protocol, assignor, seed);
		CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produceSteadily(topic, seed));
		try (WorkerEventLog events = new WorkerEventLog(topic, (event, log) -> handOver(event, log, recorder));
				ConfigurableApplicationContext first = start(recorder, events, arguments, 2)) {
			seed.await("a fifth of the records handled", Duration.ofSeconds(60))
				.until(() -> recorder.distinctHandled() >= RECORDS / 5);
			try (ConfigurableApplicationContext second = start(recorder, events, arguments, 1)) {
				seed.await("half of the records handled", Duration.ofSeconds(60))
					.until(() -> recorder.distinctHandled() >= RECORDS / 2);
			}
			if (protocol == null) {
				assertThat(groupType(topic)).as("the default protocol on a broker that offers KIP-848")
					.isEqualTo(GroupType.CONSUMER);
			}
			producing.get(60, TimeUnit.SECONDS);
			seed.await("every record handled", Duration.ofSeconds(90))
				.until(() -> recorder.distinctHandled() == RECORDS);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			seed.await("the committed offsets reaching the log end", Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
		}
		String summary = recorder.duplicates() + " duplicates, " + recorder.redeliverable()
				+ " records completed above a revocation's commit, " + recorder.handovers() + " revocations, "
				+ recorder.losses() + " partitions lost";
		System.out.println("Rebalance " + context + ": " + summary);
		assertThat(recorder.violations()).as("contract violations (%s; %s)", context, summary).isEmpty();
		assertThat(recorder.handovers()).as("revocations checked (%s; %s)", context, summary)
			.isGreaterThanOrEqualTo(PARTITIONS);
		if (recorder.losses() == 0) {
			// A revocation waits for the records in flight and commits, with the offset,
			// the records complete above it, which the next owner skips: a graceful
			// hand-over handles nothing twice.
			assertThat(recorder.duplicates()).as("duplicates (%s; %s)", context, summary).isZero();
		}
		assertThat(recorder.maxActive()).as("peak calls at once (%s)", context).isGreaterThan(PARTITIONS / 3);
	}

	/**
	 * A setting that only the classic protocol accepts keeps a worker on it, with the
	 * cooperative sticky assignor.
	 */
	@Test
	void aWorkerWithClassicOnlySettingsRebalancesCooperativelyOnTheClassicProtocol() throws Exception {
		String topic = Broker.uniqueName("classic");
		Broker.createTopic(topic, 2);
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, CONCURRENCY, true);
		List<String> arguments = new ArrayList<>(arguments(topic, null, null, Seed.create()));
		arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
		try (WorkerEventLog events = new WorkerEventLog(topic, (event, log) -> {
		}); ConfigurableApplicationContext context = start(recorder, events, arguments, 1)) {
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> groupType(topic) == GroupType.CLASSIC);
			try (Admin admin = Broker.admin()) {
				ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(topic))
					.all()
					.get(30, TimeUnit.SECONDS)
					.get(topic);
				assertThat(group.partitionAssignor()).isEqualTo("cooperative-sticky");
			}
		}
	}

	private static @Nullable GroupType groupType(String groupId) throws Exception {
		try (Admin admin = Broker.admin()) {
			return admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId).type();
		}
	}

	// Tell the recorder, on the consumer thread that publishes the event, when a
	// partition changes hands; read what the group had committed only after the
	// revocation ended the partition's tenure, so the read's own delay cannot hide
	// records completing late.
	private static void handOver(KafkaWorkerEvent event, WorkerEventLog log, ContractRecorder recorder) {
		if (event instanceof PartitionsAssignedEvent assigned) {
			Map<TopicPartition, Long> committed = log.committed(assigned.getPartitions());
			assigned.getPartitions().forEach((partition) -> recorder.assigned(partition, committed.get(partition)));
		}
		else if (event instanceof PartitionsRevokedEvent revoked && revoked.isLost()) {
			revoked.getPartitions().forEach(recorder::lost);
		}
		else if (event instanceof PartitionsRevokedEvent revoked) {
			Map<TopicPartition, Long> watermarks = new HashMap<>();
			revoked.getPartitions().forEach((partition) -> watermarks.put(partition, recorder.revoked(partition)));
			Map<TopicPartition, Long> committed = log.committed(revoked.getPartitions());
			watermarks.forEach((partition, watermark) -> recorder.checkRevocationCommit(partition, watermark,
					committed.get(partition)));
		}
	}

	private static ConfigurableApplicationContext start(ContractRecorder recorder, WorkerEventLog events,
			List<String> arguments, int consumers) {
		List<String> all = new ArrayList<>(arguments);
		all.add("--kafka.worker.workers.record-worker.consumers=" + consumers);
		return new SpringApplicationBuilder(ModeContractIntegrationTests.ContractApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", recorder))
			.listeners(events)
			.run(all.toArray(String[]::new));
	}

	private static List<String> arguments(String topic, @Nullable String protocol, @Nullable String assignor,
			Seed seed) {
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
				"--test.seed=" + seed.value(), "--test.max-delay-micros=4000", "--test.delay-percent=100",
				"--kafka.worker.defaults.auto-startup=false", "--kafka.worker.workers.record-worker.auto-startup=true",
				"--kafka.worker.workers.record-worker.mode=KEY",
				"--kafka.worker.workers.record-worker.concurrency=" + CONCURRENCY,
				"--kafka.worker.workers.record-worker.group-id=" + topic,
				"--kafka.worker.workers.record-worker.commit-interval=200ms"));
		if (protocol != null) {
			arguments.add("--spring.kafka.consumer.properties." + protocol);
		}
		if (assignor != null) {
			arguments.add("--spring.kafka.consumer.properties.partition.assignment.strategy=" + assignor);
			arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
			arguments.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=500");
		}
		return arguments;
	}

	/**
	 * Write the records in bursts over about two seconds, faster than the workers handle
	 * them, so that instances join and leave while records are buffered and in flight.
	 */
	private static void produceSteadily(String topic, Seed seed) {
		Random random = seed.random();
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			for (int i = 0; i < RECORDS; i++) {
				producer.send(new ProducerRecord<>(topic, "key-" + random.nextInt(KEYS), Integer.toString(i)));
				if (i % 1000 == 999) {
					producer.flush();
					Thread.sleep(100);
				}
			}
			producer.flush();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
