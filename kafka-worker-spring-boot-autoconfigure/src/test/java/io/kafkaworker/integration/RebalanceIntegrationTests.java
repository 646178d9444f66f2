package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
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
 * instances during the hand-over), and the first delivery of each record must come in
 * offset order per key. Runs with the eager and cooperative classic assignors and with
 * the consumer group protocol of KIP-848.
 */
class RebalanceIntegrationTests {

	private static final int PARTITIONS = 6;

	private static final int RECORDS = 20_000;

	private static final int KEYS = 400;

	private static final int CONCURRENCY = 8;

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "eager, group.protocol=classic, org.apache.kafka.clients.consumer.RangeAssignor",
			"cooperative, group.protocol=classic, org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
			"KIP-848, group.protocol=consumer, " })
	void nothingIsLostAndKeyOrderHoldsWhenAnInstanceJoinsAndLeaves(String name, String protocol,
			@Nullable String assignor) throws Exception {
		String topic = Broker.uniqueName("rebalance");
		Broker.createTopic(topic, PARTITIONS);
		long seed = System.nanoTime();
		// two instances with up to CONCURRENCY calls each
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, 2 * CONCURRENCY, false);
		List<String> arguments = arguments(topic, protocol, assignor);
		CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produceSteadily(topic, seed));
		try (ConfigurableApplicationContext first = start(recorder, arguments, 2)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> recorder.distinctHandled() >= RECORDS / 5);
			try (ConfigurableApplicationContext second = start(recorder, arguments, 1)) {
				await().atMost(Duration.ofSeconds(60)).until(() -> recorder.distinctHandled() >= RECORDS / 2);
			}
			producing.get(60, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(90)).until(() -> recorder.distinctHandled() == RECORDS);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
		}
		assertThat(recorder.violations()).as("contract violations (%s, seed %d)", name, seed).isEmpty();
		assertThat(recorder.maxActive()).isGreaterThan(PARTITIONS / 3);
	}

	private static ConfigurableApplicationContext start(ContractRecorder recorder, List<String> arguments,
			int consumers) {
		List<String> all = new ArrayList<>(arguments);
		all.add("--kafka.worker.workers.record-worker.consumers=" + consumers);
		return new SpringApplicationBuilder(ModeContractIntegrationTests.ContractApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", recorder))
			.run(all.toArray(String[]::new));
	}

	private static List<String> arguments(String topic, String protocol, @Nullable String assignor) {
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
				"--spring.kafka.consumer.auto-offset-reset=earliest", "--spring.kafka.consumer.properties." + protocol,
				"--test.topic=" + topic, "--test.max-delay-micros=4000", "--test.delay-percent=100",
				"--kafka.worker.defaults.auto-startup=false", "--kafka.worker.workers.record-worker.auto-startup=true",
				"--kafka.worker.workers.record-worker.mode=KEY",
				"--kafka.worker.workers.record-worker.concurrency=" + CONCURRENCY,
				"--kafka.worker.workers.record-worker.group-id=" + topic,
				"--kafka.worker.workers.record-worker.commit-interval=200ms"));
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
	private static void produceSteadily(String topic, long seed) {
		Random random = new Random(seed);
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
