package io.kafkaworker.samples.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Produces a sample's demo records at startup, with the application's own
 * {@link KafkaTemplate} (so with its {@code spring.kafka.producer.*} settings and, where
 * observations are on, a trace per record).
 */
public class DemoSeeder {

	private static final Log logger = LogFactory.getLog(DemoSeeder.class);

	private static final long TIMEOUT_SECONDS = 30;

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final KafkaAdmin kafkaAdmin;

	/**
	 * Create a seeder.
	 * @param kafkaTemplate the template that sends the records
	 * @param kafkaAdmin the admin whose connection settings read the topics
	 */
	public DemoSeeder(KafkaTemplate<String, String> kafkaTemplate, KafkaAdmin kafkaAdmin) {
		this.kafkaTemplate = kafkaTemplate;
		this.kafkaAdmin = kafkaAdmin;
	}

	/**
	 * Produce records {@code 0} to {@code count - 1} to a topic, once the broker serves
	 * every partition of it, and log how long it took.
	 * @param topic the topic
	 * @param count how many records
	 * @param record record {@code i} of the topic
	 */
	public void seed(String topic, int count, IntFunction<ProducerRecord<String, String>> record) {
		awaitPartitionsServed(topic);
		long startNanos = System.nanoTime();
		send(IntStream.range(0, count).mapToObj(record));
		logger.info(String.format("Produced %,d records to %s in %,d ms", count, topic,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
	}

	/**
	 * Send records in order and wait until the broker has acknowledged every one of them.
	 * The sends are asynchronous, so that the producer batches them; one producer keeps
	 * their order within each partition.
	 * @param records the records
	 * @return how many were sent
	 * @throws IllegalStateException if any record could not be sent, with the first
	 * failure as its cause
	 */
	public long send(Stream<ProducerRecord<String, String>> records) {
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
		AtomicLong sent = new AtomicLong();
		records.forEach((record) -> {
			sent.incrementAndGet();
			this.kafkaTemplate.send(record).whenComplete((result, ex) -> {
				if (ex != null && failures.getAndIncrement() == 0) {
					firstFailure.set(ex);
				}
			});
		});
		this.kafkaTemplate.flush();
		if (failures.get() > 0) {
			throw new IllegalStateException("Could not produce " + failures.get() + " of " + sent.get() + " records",
					firstFailure.get());
		}
		return sent.get();
	}

	/**
	 * Return how many records the topics hold: the sum of their partitions' end offsets.
	 * Waits, as {@link #awaitPartitionsServed(String...)} does, until the broker serves
	 * every partition.
	 * @param topics the topics
	 * @return the records written to them so far
	 */
	public long records(String... topics) {
		return awaitPartitionsServed(topics).values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
	}

	/**
	 * Wait until the broker serves every partition of the topics. They were created a
	 * moment ago: until the broker serves a new partition, it answers produce requests
	 * with a retriable NOT_LEADER_OR_FOLLOWER; a later request of the same producer that
	 * arrives once it does is appended, and the retried first one is then rejected as out
	 * of sequence until it times out (KAFKA-15591). Listing the partitions' offsets
	 * succeeds only once the broker serves every one of them (the admin client retries
	 * until then).
	 * @param topics the topics
	 * @return the end offset of every partition
	 */
	public Map<TopicPartition, ListOffsetsResultInfo> awaitPartitionsServed(String... topics) {
		try (Admin admin = Admin.create(this.kafkaAdmin.getConfigurationProperties())) {
			Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
			for (TopicDescription topic : admin.describeTopics(List.of(topics))
				.allTopicNames()
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.values()) {
				topic.partitions()
					.forEach((partition) -> partitions.put(new TopicPartition(topic.name(), partition.partition()),
							OffsetSpec.latest()));
			}
			return admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + List.of(topics), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The broker does not serve every partition of " + List.of(topics), ex);
		}
	}

}
