package io.kafkaworker.integration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.Hold;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A consume-process-produce worker with {@code delivery = EXACTLY_ONCE}, run in-process
 * by the exactly-once tests and in a child JVM by the crash test. For each input record
 * it waits a random time and sends one output record to {@code <topic>.out}: the input's
 * key, and the input's coordinates as value ({@code partition@offset}). Values starting
 * with {@code fail:} fail every attempt, {@code flaky:} the first two, {@code flaky1:}
 * the first, {@code failAtDeadLetter:} once while a {@link DeadLetterGate} holds a dead
 * letter; all after sending their output and after the broker has it, so an attempt that
 * fails has something in the log for its transaction's abort to hide. With
 * {@code test.batch=true} the worker is a lane-batch handler instead, which handles each
 * record of a call the same way and fails the whole call if one of them fails.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TransactionalWorkerApplication {

	@Bean
	@ConditionalOnProperty(name = "test.batch", havingValue = "false", matchIfMissing = true)
	TransactionalWorker transactionalWorker(TransactionalSender sender, @Value("${test.topic}") String topic,
			@Value("${test.max-delay-micros:0}") long maxDelayMicros, @Value("${test.seed:0}") long seed,
			ObjectProvider<Hold> hold, ObjectProvider<DeadLetterGate> deadLetterGate) {
		TransactionalWorker worker = new TransactionalWorker(sender, topic + ".out", maxDelayMicros, Seed.of(seed));
		worker.hold = hold.getIfAvailable();
		worker.deadLetterGate = deadLetterGate.getIfAvailable();
		return worker;
	}

	@Bean
	@ConditionalOnProperty(name = "test.batch", havingValue = "true")
	TransactionalBatchWorker transactionalBatchWorker(TransactionalSender sender, @Value("${test.topic}") String topic,
			@Value("${test.max-delay-micros:0}") long maxDelayMicros, @Value("${test.seed:0}") long seed) {
		return new TransactionalBatchWorker(
				new TransactionalWorker(sender, topic + ".out", maxDelayMicros, Seed.of(seed)));
	}

	/**
	 * Start the application.
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(TransactionalWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Sends one output per input inside the worker's transaction.
	 */
	public static class TransactionalWorker {

		private final TransactionalSender sender;

		private final String outputTopic;

		private final long maxDelayMicros;

		// Delays are a function of the test's seed and the record (given with a delay).
		private final Seed seed;

		private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

		// Holds the first handling of one record before it sends, when a test registers
		// one.
		@Nullable Hold hold;

		// Fails a failAtDeadLetter: record once while a dead letter is held, when a test
		// registers one.
		@Nullable DeadLetterGate deadLetterGate;

		TransactionalWorker(TransactionalSender sender, String outputTopic, long maxDelayMicros, Seed seed) {
			this.sender = sender;
			this.outputTopic = outputTopic;
			this.maxDelayMicros = maxDelayMicros;
			this.seed = seed;
		}

		/**
		 * Handle one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "transactional", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			if (this.maxDelayMicros > 0) {
				LockSupport
					.parkNanos(this.seed.delayNanos(record.partition(), record.offset(), this.maxDelayMicros, 100));
			}
			String coordinates = record.partition() + "@" + record.offset();
			int attempt = this.attempts.merge(coordinates, 1, Integer::sum);
			if (this.hold != null) {
				this.hold.handle(record);
			}
			String value = record.value();
			DeadLetterGate gate = this.deadLetterGate;
			boolean atGate = value.startsWith("failAtDeadLetter:") && gate != null;
			if (atGate && !gate.failed()) {
				gate.awaitHeld();
			}
			// A call of a transaction that ended meanwhile fails here, in the send.
			CompletableFuture<RecordMetadata> sent = this.sender.send(this.outputTopic, record.key(), coordinates);
			if (value.startsWith("fail:") || (value.startsWith("flaky:") && attempt <= 2)
					|| (value.startsWith("flaky1:") && attempt == 1) || (atGate && gate.failOnce())) {
				// Wait until the output is in the log: an abort drops what the producer
				// has not sent yet (linger.ms), and the tests look for aborted outputs.
				sent.orTimeout(30, TimeUnit.SECONDS).join();
				throw new IllegalStateException("Cannot handle " + coordinates + " (attempt " + attempt + ")");
			}
		}

		/**
		 * Return how often the handler ran for a record.
		 * @param partition the record's partition
		 * @param offset the record's offset
		 * @return the attempts
		 */
		public int attempts(int partition, long offset) {
			return this.attempts.getOrDefault(partition + "@" + offset, 0);
		}

	}

	/**
	 * The same work as a lane-batch handler: each record of a call is handled by a
	 * {@link TransactionalWorker} (not a bean itself), and the call fails after all of
	 * them if one failed.
	 */
	public static class TransactionalBatchWorker {

		private final TransactionalWorker records;

		private final AtomicInteger largestCall = new AtomicInteger();

		TransactionalBatchWorker(TransactionalWorker records) {
			this.records = records;
		}

		/**
		 * Handle one lane-batch.
		 * @param batch the records
		 */
		@KafkaBatchWorker(id = "transactional", topics = "${test.topic}")
		public void handle(List<ConsumerRecord<String, String>> batch) {
			this.largestCall.accumulateAndGet(batch.size(), Math::max);
			IllegalStateException failure = null;
			for (ConsumerRecord<String, String> record : batch) {
				try {
					this.records.handle(record);
				}
				catch (IllegalStateException ex) {
					failure = (failure != null) ? failure : ex;
				}
			}
			if (failure != null) {
				throw failure;
			}
		}

		/**
		 * Return the most records one call had.
		 * @return the size of the largest call
		 */
		public int largestCall() {
			return this.largestCall.get();
		}

	}

}
