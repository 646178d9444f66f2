package io.kafkaworker.bench.raw;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import io.kafkaworker.bench.probe.Probe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Raw {@link KafkaConsumer} poll loops, the references every engine is measured against.
 *
 * <p>
 * {@code bench.consumers} consumer threads join one group, each with its own
 * {@code KafkaConsumer}, and each handles its poll's records one after another on its own
 * thread, then commits asynchronously (synchronously when partitions are revoked). With
 * one consumer per partition this is the textbook partition-bound worker: every partition
 * is handled serially, by the one thread that polls it, and at most {@code partitions}
 * records are in flight. We chose one consumer thread per partition over one poll loop
 * fanning each poll out to per-partition threads because it is what users write and what
 * Spring Kafka's container concurrency does, and because the fan-out variant waits at
 * every poll for its slowest partition, so it can only be slower.
 *
 * <p>
 * With {@code bench.work.micros=0} and one consumer it is the consumption limit: the rate
 * at which one poll loop of this JVM takes records off the broker.
 *
 * <p>
 * With {@code bench.mode=VIRTUAL_THREADS} (P6) the one poll loop hands each record to a
 * virtual thread of its own, at most {@code bench.concurrency} at once, and commits its
 * positions: no order, and no record-safe commits. It measures what the work's sleep
 * costs on virtual threads on this machine with nothing of an engine around it, the
 * reference for kafka-worker with virtual threads.
 *
 * <p>
 * A record whose handling throws is tried again in place, {@code bench.retry.attempts}
 * attempts in all (1 unless set), with waits from {@code bench.retry.initial.ms} growing
 * by {@code bench.retry.multiplier}; after that its partition stops at it: the consumer
 * seeks back to the record, pauses the partition, drops the rest of the poll for it, and
 * the next commit records the record's offset. That is what a careful hand-written loop
 * does to honour "never skip a record" without blocking its other partitions (with one
 * partition per consumer, as here, there are none).
 */
public final class RawConsumerMain {

	private static final boolean VIRTUAL_THREADS = "VIRTUAL_THREADS".equals(System.getProperty("bench.mode"));

	private static final int RETRY_ATTEMPTS = Integer.getInteger("bench.retry.attempts", 1);

	private static final long RETRY_INITIAL_MS = Long.getLong("bench.retry.initial.ms", 0);

	private static final double RETRY_MULTIPLIER = Double
		.parseDouble(System.getProperty("bench.retry.multiplier", "1"));

	private RawConsumerMain() {
	}

	// Handle a record with retries in place; false if it failed every attempt.
	private static boolean handle(Probe probe, ConsumerRecord<String, String> record) {
		double wait = RETRY_INITIAL_MS;
		for (int attempt = 1;; attempt++) {
			try {
				probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
				return true;
			}
			catch (RuntimeException ex) {
				if (attempt >= RETRY_ATTEMPTS) {
					return false;
				}
			}
			try {
				Thread.sleep((long) wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			wait *= RETRY_MULTIPLIER;
		}
	}

	// Each record of the poll on a virtual thread of its own, at most the slots at once.
	private static void handleOnVirtualThreads(Probe probe, ConsumerRecords<String, String> records,
			ExecutorService virtualThreads, Semaphore slots) {
		for (ConsumerRecord<String, String> record : records) {
			slots.acquireUninterruptibly();
			virtualThreads.execute(() -> {
				try {
					handle(probe, record);
				}
				finally {
					slots.release();
				}
			});
		}
	}

	// Each partition's records one after another on the poll loop's thread; a partition
	// stops at a record that failed every attempt.
	private static void handleInPlace(Probe probe, KafkaConsumer<String, String> consumer,
			ConsumerRecords<String, String> records) {
		for (TopicPartition partition : records.partitions()) {
			for (ConsumerRecord<String, String> record : records.records(partition)) {
				if (!handle(probe, record)) {
					consumer.seek(partition, record.offset());
					consumer.pause(List.of(partition));
					System.out.printf("[raw] %s stopped at offset %d after %d attempts: paused%n", partition,
							record.offset(), RETRY_ATTEMPTS);
					break;
				}
			}
		}
	}

	// Built reflectively: the benchmark modules are compiled for Java 17, P6 runs on 25.
	private static ExecutorService virtualThreadPerTask() {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("bench.mode=VIRTUAL_THREADS needs JDK 21 or later", ex);
		}
	}

	public static void main(String[] args) {
		String contender = System.getProperty("bench.contender", "raw");
		Probe probe = Probe.get();
		int consumers = Integer.getInteger("bench.consumers", 1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < consumers; i++) {
			Thread thread = new Thread(() -> {
				try {
					pollLoop(probe);
				}
				catch (RuntimeException ex) {
					probe.failAndExit(contender, ex);
				}
			}, "raw-consumer-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		probe.awaitAndExit(contender);
	}

	private static void pollLoop(Probe probe) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("bench.bootstrap"));
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, System.getProperty("bench.group"));
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
			consumer.subscribe(List.of(System.getProperty("bench.topic")), new ConsumerRebalanceListener() {

				@Override
				public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
					// Every record of the last poll is handled: its position is safe.
					consumer.commitSync();
				}

				@Override
				public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
				}

			});
			ExecutorService virtualThreads = VIRTUAL_THREADS ? virtualThreadPerTask() : null;
			Semaphore slots = new Semaphore(Integer.getInteger("bench.concurrency", 1));
			while (true) {
				ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
				if (virtualThreads != null) {
					handleOnVirtualThreads(probe, records, virtualThreads, slots);
				}
				else {
					handleInPlace(probe, consumer, records);
				}
				if (!records.isEmpty()) {
					consumer.commitAsync();
				}
			}
		}
		catch (WakeupException ex) {
			// Closing.
		}
	}

}
