package io.kafkaworker.integration;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lane thread asks the consumer thread to come back from its poll when an exactly-once
 * unit completes or fails. While the consumer runs a rebalance callback, that wake-up
 * waits for the callback's end: sent at once, it would make the application's own
 * consumer calls in its {@code ConsumerAwareRebalanceListener} throw
 * {@code WakeupException}.
 *
 * <p>
 * The test holds the unit's only record in its handler until a partition added to the
 * topic is assigned; the application's listener then lets the handler return (the unit
 * completes and its lane asks for the wake-up), waits, and reads the new partition's
 * committed offset. When lanes woke the consumer at any time, that read threw (checked).
 */
class RebalanceListenerWakeUpIntegrationTests {

	private static final int RECORDS = 100;

	@Test
	void aUnitCompletingDuringTheApplicationsAssignmentCallbackLeavesItsConsumerCallsAlone() throws Exception {
		String topic = Broker.uniqueName("listener-wake-up");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, 1, (i) -> new String[] { "held", "held" });
		Probe probe = new Probe(topic);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("probe", probe))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.held.delivery=EXACTLY_ONCE",
					"--kafka.worker.workers.held.group-id=" + topic)) {
			assertThat(probe.handling.await(60, TimeUnit.SECONDS)).as("the held record reached its handler").isTrue();
			try (var admin = Broker.admin()) {
				admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> probe.outcome.get() != null);
			assertThat(probe.outcome.get()).as("the application's committed() in its assignment callback")
				.isEqualTo("read");
			Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + i, "value-" + i });
			await().atMost(Duration.ofSeconds(60)).until(() -> probe.handled.size() == RECORDS + 1);
			assertThat(probe.handled).allSatisfy((value, times) -> assertThat(times).isEqualTo(1));
		}
	}

	static final class Probe {

		final String topic;

		final CountDownLatch handling = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch returned = new CountDownLatch(1);

		final AtomicReference<String> outcome = new AtomicReference<>();

		final Map<String, Integer> handled = new ConcurrentHashMap<>();

		Probe(String topic) {
			this.topic = topic;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Handler handler(Probe probe) {
			return new Handler(probe);
		}

		@Bean
		ConsumerAwareRebalanceListener readingListener(Probe probe) {
			return new ConsumerAwareRebalanceListener() {

				@Override
				public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
					TopicPartition added = new TopicPartition(probe.topic, 1);
					if (!partitions.contains(added) || probe.outcome.get() != null) {
						return;
					}
					try {
						// The unit's only record completes now; its lane asks for a
						// wake-up while this callback runs.
						probe.release.countDown();
						if (!probe.returned.await(30, TimeUnit.SECONDS)) {
							probe.outcome.set("the handler did not return");
							return;
						}
						Thread.sleep(500);
						consumer.committed(Set.of(added), Duration.ofSeconds(10));
						probe.outcome.set("read");
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						probe.outcome.set("interrupted");
					}
					catch (RuntimeException ex) {
						probe.outcome.set(ex.toString());
					}
				}

			};
		}

	}

	public static class Handler {

		private final Probe probe;

		Handler(Probe probe) {
			this.probe = probe;
		}

		@KafkaBatchWorker(id = "held", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			if (record.value().equals("held") && this.probe.handling.getCount() > 0) {
				this.probe.handling.countDown();
				this.probe.release.await(60, TimeUnit.SECONDS);
				this.probe.handled.merge(record.value(), 1, Integer::sum);
				this.probe.returned.countDown();
				return;
			}
			this.probe.handled.merge(record.value(), 1, Integer::sum);
		}

	}

}
