package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.offset.CompletedOffsets;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The records complete above a stuck one, listed in the commit's metadata, must stay
 * listed through every later owner until they are received again, even an owner that
 * commits before it receives them. The chaos suite found one that did not: a member that
 * got the partition and stopped a second later committed the same offset with no
 * metadata, and the next owner handled 4,372 records again. Three instances in turn on a
 * real broker: the first freezes offset 0 and completes the rest; the second freezes
 * offset 0 again after receiving only a record or two (one per poll) and stops; the third
 * handles offset 0 and nothing else.
 */
class CommitMetadataIntegrationTests {

	private static final int RECORDS = 200;

	@Test
	void recordsCompleteAboveAStuckOneAreHandledOnceThroughAnOwnerThatCommitsBeforeReceivingThem() throws Exception {
		String topic = Broker.uniqueName("commit-metadata");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "k" + i, Integer.toString(i) });
		TopicPartition partition = new TopicPartition(topic, 0);
		Handlings handlings = new Handlings();
		// only offset 0's key stops: the others flow past it
		try (ConfigurableApplicationContext first = start(topic, handlings, true, "freeze.scope=KEY")) {
			await("the first owner completing every record but the frozen first one").atMost(Duration.ofSeconds(30))
				.until(() -> handlings.distinct() == RECORDS && handlings.attempts(0) >= 1);
		}
		CompletedOffsets completeAboveFirst = CompletedOffsets.of(0, new long[] { 1, RECORDS }, 2);
		assertThat(committed(topic, partition)).as("what the first owner committed on its way out")
			.isEqualTo(completeAboveFirst);
		int attempts = handlings.attempts(0);
		// one record per poll, and the freeze pauses the partition: the second owner
		// stops
		// long before it received the records the first completed
		try (ConfigurableApplicationContext second = start(topic, handlings, true, "freeze.scope=PARTITION",
				"consumer-properties.max.poll.records=1")) {
			await("the second owner freezing offset 0 again").atMost(Duration.ofSeconds(30))
				.until(() -> handlings.attempts(0) > attempts);
		}
		assertThat(committed(topic, partition)).as("what the second owner committed on its way out")
			.isEqualTo(completeAboveFirst);
		try (ConfigurableApplicationContext third = start(topic, handlings, false)) {
			Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(30));
		}
		for (long offset = 1; offset < RECORDS; offset++) {
			assertThat(handlings.attempts(offset)).as("handlings of offset %d", offset).isOne();
		}
	}

	private static ConfigurableApplicationContext start(String topic, Handlings handlings, boolean failFirst,
			String... workerProperties) {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
						"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
						"--test.fail-first=" + failFirst, "--kafka.worker.workers.metadata.group-id=" + topic,
						"--kafka.worker.workers.metadata.on-failure=FREEZE",
						"--kafka.worker.workers.metadata.retry.max-attempts=1",
						"--kafka.worker.workers.metadata.commit-interval=50ms"));
		for (String property : workerProperties) {
			arguments.add("--kafka.worker.workers.metadata." + property);
		}
		return new SpringApplicationBuilder(MetadataApp.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("handlings", handlings))
			.run(arguments.toArray(String[]::new));
	}

	private static CompletedOffsets committed(String group, TopicPartition partition)
			throws InterruptedException, ExecutionException {
		try (Admin admin = Broker.admin()) {
			OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(partition);
			assertThat(offset).as("the group's committed offset of %s", partition).isNotNull();
			return CompletedOffsets.decode(offset.offset(), offset.metadata());
		}
	}

	/** How often each offset reached the handler, across the three instances. */
	static final class Handlings {

		private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

		void attempted(long offset) {
			this.attempts.computeIfAbsent(offset, (key) -> new AtomicInteger()).incrementAndGet();
		}

		int attempts(long offset) {
			AtomicInteger count = this.attempts.get(offset);
			return (count != null) ? count.get() : 0;
		}

		int distinct() {
			return this.attempts.size();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class MetadataApp {

		private final Handlings handlings;

		private final boolean failFirst;

		MetadataApp(Handlings handlings,
				@org.springframework.beans.factory.annotation.Value("${test.fail-first}") boolean failFirst) {
			this.handlings = handlings;
			this.failFirst = failFirst;
		}

		@KafkaBatchWorker(id = "metadata", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) {
			this.handlings.attempted(record.offset());
			if (record.offset() == 0 && this.failFirst) {
				throw new IllegalStateException("offset 0 fails while test.fail-first is set");
			}
		}

	}

}
