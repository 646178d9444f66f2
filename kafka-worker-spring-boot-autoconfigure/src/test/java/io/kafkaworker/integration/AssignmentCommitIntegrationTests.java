package io.kafkaworker.integration;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * On assignment a worker commits the position of each partition with nothing committed
 * (under {@code auto.offset.reset=latest}, the records a consumer received before its
 * first commit would otherwise be skipped by the next owner), and a wake-up that a lane
 * thread sends while the consumer is in the assignment callback does not break it.
 *
 * <p>
 * The wake-up is injected: each consumer of the application is wrapped so that it wakes
 * itself just before its first {@code committed} call, which is made in its first
 * assignment callback. Before the worker made that commit itself, Spring Kafka's
 * container made it there, its {@code WakeupException} skipped the worker's own callback,
 * and the worker's container stopped at the partitions' first records (checked).
 */
class AssignmentCommitIntegrationTests {

	private static final int PARTITIONS = 3;

	private static final int RECORDS = 300;

	@ParameterizedTest
	@ValueSource(strings = { "AT_LEAST_ONCE", "EXACTLY_ONCE" })
	void partitionsWithNothingCommittedGetTheirPositionCommittedOnAssignmentDespiteAWakeUp(String delivery) {
		String topic = Broker.uniqueName("assignment-commit");
		Broker.createTopic(topic, PARTITIONS);
		Broker.produce(topic, 30, (i) -> new String[] { "before-" + i, "before-" + i });
		Map<String, Integer> handled = new ConcurrentHashMap<>();
		AtomicInteger wakeUps = new AtomicInteger();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> {
				ctx.getBeanFactory().registerSingleton("handled", handled);
				ctx.getBeanFactory().registerSingleton("wakeUps", wakeUps);
			})
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=latest", "--test.topic=" + topic,
					"--kafka.worker.workers.assigned.delivery=" + delivery,
					// Only the assignment's commit can commit before the records come.
					"--kafka.worker.workers.assigned.commit-interval=10m",
					"--kafka.worker.workers.assigned.group-id=" + topic)) {
			Map<TopicPartition, Long> ends = Broker.endOffsets(topic);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(ends));
			assertThat(wakeUps).as("wake-ups injected into the assignment callback").hasPositiveValue();
			Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + i, "after-" + i });
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == RECORDS);
			assertThat(handled).allSatisfy((value, times) -> {
				assertThat(value).startsWith("after-");
				assertThat(times).isEqualTo(1);
			});
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		DefaultKafkaConsumerFactoryCustomizer wakeUpInTheAssignmentCallback(AtomicInteger wakeUps) {
			return (factory) -> factory
				.addPostProcessor((consumer) -> wakingBeforeFirstCommittedRead(consumer, wakeUps));
		}

		@Bean
		Handler handler(Map<String, Integer> handled) {
			return new Handler(handled);
		}

		@SuppressWarnings("unchecked")
		private static <K, V> Consumer<K, V> wakingBeforeFirstCommittedRead(Consumer<K, V> consumer,
				AtomicInteger wakeUps) {
			AtomicBoolean first = new AtomicBoolean(true);
			return (Consumer<K, V>) Proxy.newProxyInstance(App.class.getClassLoader(),
					new Class<?>[] { Consumer.class }, (proxy, method, args) -> {
						if (method.getName().equals("committed") && first.getAndSet(false)) {
							// A lane thread's wake-up, arriving while the consumer is in
							// its assignment callback.
							consumer.wakeup();
							wakeUps.incrementAndGet();
						}
						try {
							return method.invoke(consumer, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

	}

	public static class Handler {

		private final Map<String, Integer> handled;

		Handler(Map<String, Integer> handled) {
			this.handled = handled;
		}

		@KafkaBatchWorker(id = "assigned", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.handled.merge(record.value(), 1, Integer::sum);
		}

	}

}
