package io.kafkaworker.integration;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
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
 * A consumer that returns records of a partition after telling the worker that the
 * partition was lost, as kafka-clients 4.2's consumer for the KIP-848 protocol does
 * (KAFKA-20321: the records it had fetched before the loss), then gets the partition
 * back. The chaos suite lost records that way: the worker tracked the late records afresh
 * and committed past the records its lost progress had not finished. The race is
 * reproduced deterministically by a consumer proxy on a real broker: the worker must drop
 * the late records, so that after the new assignment every record is handled and the
 * group's committed offset reaches the end.
 */
class LostPartitionIntegrationTests {

	private static final int RECORDS = 300;

	// Records 50 to 99 share a key: 50 blocks until the partition is lost, 51 to 99 wait
	// behind it in its lane and are dropped with the lost progress.
	private static final int BLOCKED = 50;

	private static final int LAST_OF_KEY = 99;

	@Test
	void recordsReturnedAfterThePartitionWasLostAreNotTrackedSoNothingIsCommittedPastUnfinishedRecords()
			throws Exception {
		String topic = Broker.uniqueName("lost-partition");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, LAST_OF_KEY + 1,
				(i) -> new String[] { (i >= BLOCKED) ? "shared" : "k" + i, Integer.toString(i) });
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LosingApp.class)
			.web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest",
					"--spring.kafka.consumer.max-poll-records=100", "--test.topic=" + topic,
					"--kafka.worker.workers.lost.group-id=" + topic, "--kafka.worker.workers.lost.concurrency=8",
					"--kafka.worker.workers.lost.commit-interval=100ms")) {
			LosingApp app = context.getBean(LosingApp.class);
			assertThat(app.blocked.await(30, TimeUnit.SECONDS)).as("the shared key's first record running").isTrue();
			// What the consumer fetches from now on, it returns after the loss.
			Broker.produce(topic, RECORDS - LAST_OF_KEY - 1,
					(i) -> new String[] { "k" + (LAST_OF_KEY + 1 + i), Integer.toString(LAST_OF_KEY + 1 + i) });
			await("the partition lost, its late records returned and the partition assigned again")
				.atMost(Duration.ofSeconds(60))
				.until(() -> app.reassigned.getCount() == 0);
			await("every record handled").atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(app.missing()).as("records never handled").isEmpty());
			Broker.awaitAllCommitted(topic, topic, Duration.ofSeconds(30));
			assertThat(app.lateRecords).as("records the consumer returned after the loss").isPositive();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class LosingApp {

		private final Set<Long> handled = ConcurrentHashMap.newKeySet();

		private final CountDownLatch blocked = new CountDownLatch(1);

		private final CountDownLatch lost = new CountDownLatch(1);

		private final CountDownLatch reassigned = new CountDownLatch(1);

		private volatile int lateRecords;

		@KafkaBatchWorker(id = "lost", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			if (record.offset() == BLOCKED && this.lost.getCount() > 0) {
				this.blocked.countDown();
				this.lost.await(60, TimeUnit.SECONDS);
			}
			this.handled.add(record.offset());
		}

		Set<Long> missing() {
			Set<Long> missing = new HashSet<>();
			for (long offset = 0; offset < RECORDS; offset++) {
				if (!this.handled.contains(offset)) {
					missing.add(offset);
				}
			}
			return missing;
		}

		@Bean
		DefaultKafkaConsumerFactoryCustomizer losingConsumers() {
			return (factory) -> addLosingProxy(factory, this);
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private static void addLosingProxy(org.springframework.kafka.core.DefaultKafkaConsumerFactory factory,
				LosingApp app) {
			factory.addPostProcessor((consumer) -> LosingConsumer.wrap((Consumer<Object, Object>) consumer, app));
		}

	}

	/**
	 * Delegates to a real consumer; once the handler blocks on the shared key's first
	 * record, its next poll tells the rebalance listener that the partitions were lost
	 * and still returns the records it fetches, for two seconds, as the KIP-848 consumer
	 * of kafka-clients 4.2 may; then it goes back to the group's committed offsets and
	 * tells the listener that they were assigned again.
	 */
	private static final class LosingConsumer {

		private static final long LOST_NANOS = Duration.ofSeconds(2).toNanos();

		private final Consumer<Object, Object> delegate;

		private final LosingApp app;

		private @Nullable ConsumerRebalanceListener listener;

		private long lostAt;

		private LosingConsumer(Consumer<Object, Object> delegate, LosingApp app) {
			this.delegate = delegate;
			this.app = app;
		}

		@SuppressWarnings("unchecked")
		static Consumer<Object, Object> wrap(Consumer<Object, Object> delegate, LosingApp app) {
			LosingConsumer losing = new LosingConsumer(delegate, app);
			return (Consumer<Object, Object>) Proxy.newProxyInstance(LosingConsumer.class.getClassLoader(),
					new Class<?>[] { Consumer.class }, (proxy, method, args) -> {
						if (method.getName().equals("subscribe") && args != null && args.length == 2
								&& args[1] instanceof ConsumerRebalanceListener listener) {
							losing.listener = listener;
						}
						if (method.getName().equals("poll") && args != null && args.length == 1
								&& args[0] instanceof Duration timeout) {
							return losing.poll(timeout);
						}
						try {
							return method.invoke(delegate, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

		ConsumerRecords<Object, Object> poll(Duration timeout) {
			ConsumerRebalanceListener listener = this.listener;
			if (listener == null || this.app.reassigned.getCount() == 0) {
				return this.delegate.poll(timeout);
			}
			if (this.lostAt == 0 && this.app.blocked.getCount() == 0) {
				this.lostAt = System.nanoTime();
				listener.onPartitionsLost(this.delegate.assignment());
				this.app.lost.countDown();
			}
			if (this.lostAt == 0) {
				return this.delegate.poll(timeout);
			}
			if (System.nanoTime() - this.lostAt < LOST_NANOS) {
				ConsumerRecords<Object, Object> late = this.delegate.poll(Duration.ofMillis(100));
				this.app.lateRecords += late.count();
				return late;
			}
			// The partitions come back: the consumer starts again at the committed
			// offsets.
			Set<TopicPartition> assignment = this.delegate.assignment();
			Map<TopicPartition, OffsetAndMetadata> committed = this.delegate.committed(assignment);
			for (TopicPartition partition : assignment) {
				OffsetAndMetadata offset = committed.get(partition);
				this.delegate.seek(partition, (offset != null) ? offset.offset() : 0);
			}
			Collection<TopicPartition> partitions = Set.copyOf(assignment);
			listener.onPartitionsAssigned(partitions);
			this.app.reassigned.countDown();
			return this.delegate.poll(timeout);
		}

	}

}
