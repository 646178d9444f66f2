package io.kafkaworker.integration;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer thread held inside poll() longer than {@code max.poll.interval.ms} while
 * finished records wait for their commit, as in a process stopped by SIGSTOP or starved
 * of CPU. Its consumer (KIP-848 protocol) has left the group meanwhile, but tells the
 * worker that the partitions are lost only in the next poll; a commit in between goes out
 * without a member epoch, which the broker accepts while the group is empty, and
 * overwrites what the partitions' next owner committed (the chaos suite saw a committed
 * offset go back from 977 to 958). The worker must not commit between that poll's return
 * and the next poll; afterwards every record is handled and committed.
 */
class StaleConsumerIntegrationTests {

	private static final int FIRST = 100;

	private static final int SECOND = 50;

	private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(3);

	private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(10);

	@Test
	void aConsumerHeldPastMaxPollIntervalCommitsNothingUntilItsNextPoll() {
		String topic = Broker.uniqueName("stale-consumer");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, FIRST, (i) -> new String[] { "k" + i, Integer.toString(i) });
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StaleApp.class)
			.web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest",
					"--spring.kafka.consumer.properties.group.protocol=consumer",
					"--spring.kafka.consumer.properties.max.poll.interval.ms=" + MAX_POLL_INTERVAL.toMillis(),
					"--test.topic=" + topic, "--kafka.worker.workers.stale.group-id=" + topic,
					// progress waits for the next commit long enough to be held with it
					"--kafka.worker.workers.stale.commit-interval=" + COMMIT_INTERVAL.toMillis() + "ms",
					"--kafka.worker.workers.stale.revoke-timeout=500ms",
					"--kafka.worker.workers.stale.commit-timeout=1s")) {
			StaleApp app = context.getBean(StaleApp.class);
			Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(30));
			// The poll after the second records were dispatched waits until they ran,
			// then is held past max.poll.interval.ms, before their commit.
			app.holdArmed = true;
			Broker.produce(topic, SECOND, (i) -> new String[] { "k" + (FIRST + i), Integer.toString(FIRST + i) });
			await("the held poll returned, and the poll after it too").atMost(Duration.ofSeconds(60))
				.until(() -> app.pollsAfterHeld >= 1);
			await("every record handled").atMost(Duration.ofSeconds(60))
				.until(() -> app.handled.size() == FIRST + SECOND);
			Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(60));
			assertThat(app.commitsWhileStale).as("commits between the held poll's return and the next poll").isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class StaleApp {

		final Set<Long> handled = ConcurrentHashMap.newKeySet();

		final List<Map<TopicPartition, OffsetAndMetadata>> commitsWhileStale = new CopyOnWriteArrayList<>();

		volatile boolean holdArmed;

		volatile boolean stale;

		volatile int pollsAfterHeld;

		final Set<Long> started = ConcurrentHashMap.newKeySet();

		@KafkaBatchWorker(id = "stale", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			this.started.add(record.offset());
			if (record.offset() >= FIRST) {
				// slow enough that the poll after their dispatch commits none of them
				Thread.sleep(50);
			}
			this.handled.add(record.offset());
		}

		@Bean
		DefaultKafkaConsumerFactoryCustomizer heldConsumers() {
			return (factory) -> addHoldingProxy(factory, this);
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static void addHoldingProxy(org.springframework.kafka.core.DefaultKafkaConsumerFactory factory,
				StaleApp app) {
			factory.addPostProcessor((consumer) -> wrap((Consumer<Object, Object>) consumer, app));
		}

		@SuppressWarnings("unchecked")
		private static Consumer<Object, Object> wrap(Consumer<Object, Object> delegate, StaleApp app) {
			return (Consumer<Object, Object>) Proxy.newProxyInstance(
					StaleConsumerIntegrationTests.class.getClassLoader(), new Class<?>[] { Consumer.class },
					(proxy, method, args) -> {
						if (method.getName().equals("commitSync") && app.stale && args != null
								&& args[0] instanceof Map<?, ?> offsets) {
							app.commitsWhileStale.add((Map<TopicPartition, OffsetAndMetadata>) Map.copyOf(offsets));
						}
						boolean poll = method.getName().equals("poll");
						if (poll && app.stale) {
							// The poll after the held one: its rebalance callbacks tell
							// the
							// worker what the consumer holds now.
							app.stale = false;
							app.pollsAfterHeld++;
						}
						// the poll after the one that returned the second records
						boolean hold = poll && app.holdArmed && app.started.size() > FIRST;
						if (hold) {
							await().atMost(Duration.ofSeconds(30)).until(() -> app.handled.size() == FIRST + SECOND);
						}
						Object result;
						try {
							result = method.invoke(delegate, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
						if (hold) {
							app.holdArmed = false;
							// past what a poll cycle may take: max.poll.interval.ms and
							// the poll timeout (the commit interval)
							Thread.sleep(MAX_POLL_INTERVAL.plus(COMMIT_INTERVAL).toMillis() + 2_000);
							app.stale = true;
						}
						return result;
					});
		}

	}

}
