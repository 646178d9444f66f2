package io.kafkaworker.samples.quickstart;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Produces {@code demo.seed} records to {@code demo.orders} once the application has
 * started: record {@code i} has key {@code key-(i % keys)} and, as its value, its
 * sequence number within that key (0, 1, 2, ...), so the output shows whether each key
 * was processed in order. Halfway through (or alone, with no seed), it produces one
 * failing record for each key of {@code demo.fail} ({@value DemoProperties#FAIL_VALUE})
 * and of {@code demo.flaky} ({@value DemoProperties#FLAKY_VALUE}).
 */
@Component
class OrderSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(OrderSeeder.class);

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final DemoProperties properties;

	private final KafkaAdmin kafkaAdmin;

	OrderSeeder(KafkaTemplate<String, String> kafkaTemplate, DemoProperties properties, KafkaAdmin kafkaAdmin) {
		this.kafkaTemplate = kafkaTemplate;
		this.properties = properties;
		this.kafkaAdmin = kafkaAdmin;
	}

	@Override
	public void run(ApplicationArguments args) {
		int count = this.properties.seed();
		int keys = this.properties.keys();
		List<String> failingKeys = this.properties.fail();
		List<String> flakyKeys = this.properties.flaky();
		if (count == 0 && failingKeys.isEmpty() && flakyKeys.isEmpty()) {
			return;
		}
		awaitPartitionsServed();
		long startNanos = System.nanoTime();
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
		// Asynchronous sends let the producer batch records; flush() then waits until
		// every one of them is acknowledged (or has failed). One producer keeps the
		// order of the sends within each partition.
		for (int i = 0; i <= count; i++) {
			if (i == count / 2) {
				failingKeys.forEach((key) -> send(key, DemoProperties.FAIL_VALUE, failures, firstFailure));
				flakyKeys.forEach((key) -> send(key, DemoProperties.FLAKY_VALUE, failures, firstFailure));
			}
			if (i < count) {
				send("key-" + (i % keys), Integer.toString(i / keys), failures, firstFailure);
			}
		}
		this.kafkaTemplate.flush();
		if (failures.get() > 0) {
			throw new IllegalStateException(
					"Could not produce " + failures.get() + " of " + (count + failingKeys.size() + flakyKeys.size())
							+ " records to " + QuickstartApplication.ORDERS_TOPIC,
					firstFailure.get());
		}
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
		if (count > 0) {
			logger.info(String.format("Produced %,d records over %,d keys to %s in %,d ms", count,
					Math.min(keys, count), QuickstartApplication.ORDERS_TOPIC, elapsedMs));
		}
		logFailing(failingKeys, DemoProperties.FAIL_VALUE, "demo.fail", "it fails every attempt");
		logFailing(flakyKeys, DemoProperties.FLAKY_VALUE, "demo.flaky", "it fails its first 3 attempts, then succeeds");
	}

	// The topics were created a moment ago. Until the broker serves a new partition, it
	// answers produce requests with a retriable NOT_LEADER_OR_FOLLOWER; a later request
	// of
	// the same producer that arrives once it does is appended, and the retried first one
	// is then rejected as out of sequence until it times out (KAFKA-15591). Listing the
	// partitions' offsets succeeds only once the broker serves every one of them (the
	// admin client retries until then), so the seed starts on ready partitions.
	private void awaitPartitionsServed() {
		List<String> topics = List.of(QuickstartApplication.ORDERS_TOPIC, QuickstartApplication.PROCESSED_TOPIC);
		try (Admin admin = Admin.create(this.kafkaAdmin.getConfigurationProperties())) {
			Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
			for (TopicDescription topic : admin.describeTopics(topics)
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.values()) {
				topic.partitions()
					.forEach((partition) -> partitions.put(new TopicPartition(topic.name(), partition.partition()),
							OffsetSpec.latest()));
			}
			admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + topics, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The broker does not serve every partition of " + topics, ex);
		}
	}

	private static void logFailing(List<String> keys, String value, String property, String behavior) {
		if (!keys.isEmpty()) {
			logger.info(String.format(
					"Produced %s with key%s %s to %s (%s): %s, so its partition freezes; see "
							+ "/actuator/kafkaworkers",
					value, (keys.size() > 1) ? "s" : "", String.join(", ", keys), QuickstartApplication.ORDERS_TOPIC,
					property, behavior));
		}
	}

	private void send(String key, String value, AtomicInteger failures,
			AtomicReference<@Nullable Throwable> firstFailure) {
		this.kafkaTemplate.send(QuickstartApplication.ORDERS_TOPIC, key, value).whenComplete((result, ex) -> {
			if (ex != null && failures.getAndIncrement() == 0) {
				firstFailure.set(ex);
			}
		});
	}

}
