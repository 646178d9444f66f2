package io.kafkaworker.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.WorkerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Share-group workers (issue #16) on the real broker: instances beyond the partition
 * count all work, a killed member's records are delivered again, a failing record is
 * retried in place with back-off and dead-lettered, delivery counts reach the handler,
 * and the group configs of share.* are set before the worker joins.
 */
class ShareGroupIntegrationTests {

	private static final Duration LOCK = Duration.ofSeconds(2);

	@Test
	void threeInstancesOnTwoPartitionsAllWorkAndEveryRecordIsAccepted() {
		String topic = Broker.uniqueName("share-scale");
		Broker.createTopic(topic, 2);
		Broker.configureShareGroup(topic, LOCK);
		List<String> values = values("v", 1200);
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				instances.add(start(topic, "instance-" + i, "--test.sleep-millis=20",
						"--kafka.worker.workers.share-worker.concurrency=4"));
			}
			// Three members, each assigned partitions of a topic that has two.
			await().atMost(Duration.ofSeconds(60)).until(() -> assignedMembers(topic) == 3);
			produce(topic, values);
			await().atMost(Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(ShareWorkerApplication.ATTEMPTS.keySet()).containsAll(values));
			Set<String> instancesThatWorked = values.stream()
				.flatMap((value) -> ShareWorkerApplication.ATTEMPTS.get(value).stream())
				.map((attempt) -> attempt.split(":")[0])
				.collect(Collectors.toSet());
			assertThat(instancesThatWorked).as("instances that handled records")
				.containsExactlyInAnyOrder("instance-0", "instance-1", "instance-2");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(accepted(instances)).isGreaterThanOrEqualTo(values.size()));
			assertThat(values.stream()
				.flatMap((value) -> ShareWorkerApplication.ATTEMPTS.get(value).stream())
				.map((attempt) -> attempt.split(":")[1])).as("delivery counts seen by the handler").contains("1");
		}
		finally {
			instances.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Test
	void aFailingRecordIsRetriedWithBackOffThenDeadLetteredAndAccepted() {
		String topic = Broker.uniqueName("share-failure");
		Broker.createTopic(topic, 2);
		Broker.createTopic(topic + "-dlt", 2);
		Broker.configureShareGroup(topic, LOCK);
		List<String> values = new ArrayList<>(values("ok", 20));
		values.add("fail-" + topic);
		try (ConfigurableApplicationContext context = start(topic, "solo", "--test.sleep-millis=1",
				"--kafka.worker.workers.share-worker.retry.max-attempts=3",
				"--kafka.worker.workers.share-worker.retry.backoff.initial=1500ms",
				"--kafka.worker.workers.share-worker.retry.backoff.jitter=0")) {
			produce(topic, values);
			await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(topic + "-dlt").contains("fail-" + topic));
			List<String> attempts = ShareWorkerApplication.ATTEMPTS.get("fail-" + topic);
			assertThat(attempts).as("attempts of the failing record").hasSize(3);
			long first = Long.parseLong(attempts.get(0).split(":")[2]);
			long second = Long.parseLong(attempts.get(1).split(":")[2]);
			assertThat(Duration.ofNanos(second - first)).as("back-off between attempts")
				.isGreaterThanOrEqualTo(Duration.ofMillis(1500));
			// Longer than the 2 s lock: retried in place while its lock was renewed, all
			// in
			// its first delivery.
			assertThat(attempts).allSatisfy((attempt) -> assertThat(attempt.split(":")[1]).isEqualTo("1"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.find("kafka.worker.share.renewals").counter()).isNotNull()
					.satisfies((counter) -> assertThat(counter.count()).isPositive()));
			// Accepted after the dead letter: never delivered again.
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(ShareWorkerApplication.ATTEMPTS.get("fail-" + topic)).hasSize(3);
				assertThat(accepted(List.of(context))).isEqualTo(values.size());
			});
		}
	}

	@Test
	void withRejectExhaustedADeadLetteredRecordIsRejectedAndTheOthersAccepted() {
		String topic = Broker.uniqueName("share-reject");
		Broker.createTopic(topic, 2);
		Broker.createTopic(topic + "-dlt", 2);
		Broker.configureShareGroup(topic, LOCK);
		List<String> values = new ArrayList<>(values("ok", 10));
		values.add("fail-" + topic);
		try (ConfigurableApplicationContext context = start(topic, "solo", "--test.sleep-millis=1",
				"--kafka.worker.workers.share-worker.retry.max-attempts=2",
				"--kafka.worker.workers.share-worker.retry.backoff.initial=10ms",
				"--kafka.worker.workers.share-worker.share.reject-exhausted=true")) {
			produce(topic, values);
			await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(topic + "-dlt").contains("fail-" + topic));
			// Rejected after the dead letter: archived by the broker, never delivered
			// again.
			await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(ShareWorkerApplication.ATTEMPTS.get("fail-" + topic)).hasSize(2);
				assertThat(acknowledged(List.of(context), "REJECT")).isEqualTo(1);
				assertThat(acknowledged(List.of(context), "ACCEPT")).isEqualTo(values.size() - 1);
			});
		}
	}

	@Test
	void aGracefulStopFinishesAndAcceptsWhatRunsAndReleasesWhatItHasNotStarted() {
		String topic = Broker.uniqueName("share-drain");
		Broker.createTopic(topic, 2);
		Broker.configureShareGroup(topic, Duration.ofSeconds(15));
		List<String> values = values("drain", 40);
		ConfigurableApplicationContext first = start(topic, "first", "--test.sleep-millis=400",
				"--kafka.worker.workers.share-worker.concurrency=2");
		List<String> startedByFirst;
		try {
			produce(topic, values);
			// Its first poll acquired 4 records (2 x concurrency): 2 run, 2 wait in
			// lanes.
			await().atMost(Duration.ofSeconds(60)).until(() -> !attemptsBy("first", values).isEmpty());
		}
		finally {
			first.close();
			startedByFirst = attemptsBy("first", values);
		}
		// The worker released them itself (the share consumer's close would release them
		// too, but no acknowledgement would be observed), and accepted what it started.
		assertThat(ShareWorkerApplication.ACKNOWLEDGEMENTS).as("the first member's acknowledgements")
			.contains("first:RELEASE")
			.filteredOn("first:ACCEPT"::equals)
			.hasSize(startedByFirst.size());
		long stopped = System.nanoTime();
		try (ConfigurableApplicationContext second = start(topic, "second", "--test.sleep-millis=1")) {
			// Released, not left to their locks: the next member gets them sooner than
			// the 15 s lock would allow.
			await().atMost(Duration.ofSeconds(12))
				.untilAsserted(() -> assertThat(ShareWorkerApplication.ATTEMPTS.keySet()).containsAll(values));
			assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(14));
			// What the first member started, it finished and accepted before it left.
			assertThat(attemptsBy("second", startedByFirst)).as("records started by the first member, run again")
				.isEmpty();
			assertThat(values.stream()
				.flatMap((value) -> ShareWorkerApplication.ATTEMPTS.get(value).stream())
				.filter((attempt) -> attempt.startsWith("second:"))
				.map((attempt) -> Integer.parseInt(attempt.split(":")[1])))
				.as("delivery counts of the records the second member got")
				.contains(2);
		}
	}

	@Test
	void recordsOfAKilledMemberAreDeliveredAgainAndNoneIsLost(@TempDir Path directory) throws Exception {
		String topic = Broker.uniqueName("share-kill");
		Broker.createTopic(topic, 2);
		Broker.configureShareGroup(topic, LOCK);
		List<String> values = values("k", 400);
		Path killedFile = directory.resolve("killed.txt");
		Process killed = WorkerProcess.start(ShareWorkerApplication.class, directory.resolve("killed.log"),
				"--test.topic=" + topic, "--test.instance=killed", "--test.sleep-millis=50",
				"--test.handled-file=" + killedFile, "--kafka.worker.workers.share-worker.concurrency=8",
				"--kafka.worker.workers.share-worker.group-id=" + topic,
				"--kafka.worker.workers.share-worker.on-failure=DEAD_LETTER");
		ConfigurableApplicationContext survivor = null;
		try {
			produce(topic, values);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.exists(killedFile) && Files.readAllLines(killedFile).size() >= 40);
			killed.destroyForcibly().waitFor();
			Set<String> handledByKilled = new HashSet<>(Files.readAllLines(killedFile, StandardCharsets.UTF_8));
			survivor = start(topic, "survivor", "--test.sleep-millis=1");
			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				Set<String> handled = new HashSet<>(handledByKilled);
				handled.addAll(ShareWorkerApplication.ATTEMPTS.keySet());
				assertThat(handled).containsAll(values);
			});
			List<String> redelivered = values.stream()
				.filter((value) -> ShareWorkerApplication.ATTEMPTS.getOrDefault(value, List.of())
					.stream()
					.anyMatch((attempt) -> !attempt.split(":")[1].equals("1")))
				.toList();
			assertThat(redelivered).as("records the killed member held, delivered again with a higher count")
				.isNotEmpty();
		}
		finally {
			killed.destroyForcibly();
			if (survivor != null) {
				survivor.close();
			}
		}
	}

	@Test
	void theWorkerSetsItsGroupsConfigsBeforeJoiningSoThatTheBacklogIsConsumed() throws Exception {
		String topic = Broker.uniqueName("share-configs");
		Broker.createTopic(topic, 2);
		// Produced before the group exists: a share group starts at the latest records
		// unless share.auto.offset.reset says otherwise before its first fetch.
		List<String> values = values("backlog", 50);
		produce(topic, values);
		try (ConfigurableApplicationContext context = start(topic, "configured", "--test.sleep-millis=1",
				"--kafka.worker.workers.share-worker.share.auto-offset-reset=earliest",
				"--kafka.worker.workers.share-worker.share.record-lock-duration=2s")) {
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(ShareWorkerApplication.ATTEMPTS.keySet()).containsAll(values));
			assertThat(groupConfigs(topic)).containsEntry("share.auto.offset.reset", "earliest")
				.containsEntry("share.record.lock.duration.ms", "2000");
		}
	}

	@Test
	void aGroupConfigTheBrokerRefusesFailsStartupNamingTheProperty() {
		String topic = Broker.uniqueName("share-refused");
		Broker.createTopic(topic, 1);
		// Longer than the broker's group.share.max.record.lock.duration.ms (60 s).
		assertThatException()
			.isThrownBy(
					() -> start(topic, "refused", "--kafka.worker.workers.share-worker.share.record-lock-duration=10m")
						.close())
			.satisfies((failure) -> {
				KafkaWorkerConfigurationException cause = configurationFailure(failure);
				assertThat(cause.getMessage()).contains("share.record.lock.duration.ms=600000",
						"share group '" + topic + "'", "kafka.worker.workers.share-worker.share.record-lock-duration",
						"InvalidConfigurationException");
			});
	}

	private static KafkaWorkerConfigurationException configurationFailure(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof KafkaWorkerConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("cause of " + failure).isInstanceOf(KafkaWorkerConfigurationException.class);
		return (KafkaWorkerConfigurationException) cause;
	}

	private static Map<String, String> groupConfigs(String group) throws Exception {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
		try (Admin admin = Broker.admin()) {
			return admin.describeConfigs(List.of(resource))
				.all()
				.get()
				.get(resource)
				.entries()
				.stream()
				.collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
		}
	}

	private static long assignedMembers(String group) throws Exception {
		try (Admin admin = Broker.admin()) {
			return admin.describeShareGroups(List.of(group))
				.describedGroups()
				.get(group)
				.get()
				.members()
				.stream()
				.filter((member) -> !member.assignment().topicPartitions().isEmpty())
				.count();
		}
	}

	private static double accepted(List<ConfigurableApplicationContext> instances) {
		return acknowledged(instances, "ACCEPT");
	}

	private static List<String> attemptsBy(String instance, List<String> values) {
		return values.stream()
			.filter((value) -> ShareWorkerApplication.ATTEMPTS.getOrDefault(value, List.of())
				.stream()
				.anyMatch((attempt) -> attempt.startsWith(instance + ":")))
			.toList();
	}

	private static double acknowledged(MeterRegistry meters, String type) {
		return meters.find("kafka.worker.share.acknowledgements")
			.tag("type", type)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private static double acknowledged(List<ConfigurableApplicationContext> instances, String type) {
		return instances.stream()
			.mapToDouble((context) -> acknowledged(context.getBean(MeterRegistry.class), type))
			.sum();
	}

	private static List<String> values(String prefix, int count) {
		String run = Long.toString(System.nanoTime() % 1_000_000, 36);
		return IntStream.range(0, count).mapToObj((i) -> prefix + "-" + run + "-" + i).toList();
	}

	private static void produce(String topic, List<String> values) {
		Broker.produce(topic, values.size(), (i) -> new String[] { "key-" + i, values.get(i) });
	}

	private static List<String> deadLetters(String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.bootstrapServers(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG,
						Broker.uniqueName("dlt-reader")),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			List<String> values = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					values.add(record.value());
				}
			}
			return values;
		}
	}

	private static ConfigurableApplicationContext start(String topic, String instance, String... arguments) {
		List<String> all = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(), "--test.topic=" + topic,
						"--test.instance=" + instance, "--kafka.worker.workers.share-worker.group-id=" + topic,
						"--kafka.worker.workers.share-worker.on-failure=DEAD_LETTER"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(ShareWorkerApplication.class).web(WebApplicationType.NONE)
			.initializers(
					(context) -> context.getBeanFactory().registerSingleton("meterRegistry", new SimpleMeterRegistry()))
			.run(all.toArray(String[]::new));
	}

}
