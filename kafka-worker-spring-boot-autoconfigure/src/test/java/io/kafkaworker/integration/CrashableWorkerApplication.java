package io.kafkaworker.integration;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.HandledLog;
import io.kafkaworker.testsupport.Seed;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A worker application that the crash tests run in a child JVM and kill with SIGKILL. Its
 * handler notes the record's start in a {@link HandledLog}, waits a time drawn from the
 * test's seed and the record (up to 30ms for a few records, so that a running record
 * often outlasts a commit), then appends the record before returning, so the log holds
 * every record whose handler started and finished, in order; records of the key
 * {@code test.stuck-key} never finish (the test may add the consumer's commits to the
 * same log with {@link io.kafkaworker.testsupport.CommitLog}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CrashableWorkerApplication {

	@Bean
	HandledLog handledLog(@Value("${test.log}") Path path) {
		return new HandledLog(path);
	}

	@Bean
	LoggingWorker loggingWorker(HandledLog log, @Value("${test.max-delay-micros}") long maxDelayMicros,
			@Value("${test.seed}") long seed, @Value("${test.stuck-key:}") String stuckKey) {
		return new LoggingWorker(log, maxDelayMicros, Seed.of(seed), stuckKey);
	}

	/**
	 * Start the application.
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(CrashableWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Handles records with a random delay and logs them as handled.
	 */
	public static class LoggingWorker {

		private final HandledLog log;

		private final long maxDelayMicros;

		private static final long SLOW_MICROS = 30_000;

		private static final int SLOW_PERCENT = 3;

		private final Seed seed;

		private final Seed slow;

		private final String stuckKey;

		LoggingWorker(HandledLog log, long maxDelayMicros, Seed seed, String stuckKey) {
			this.log = log;
			this.stuckKey = stuckKey;
			this.maxDelayMicros = maxDelayMicros;
			this.seed = seed;
			this.slow = seed.derive(1);
		}

		/**
		 * Handle one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "crashable", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.log.started(record.partition(), record.offset());
			if (record.key().equals(this.stuckKey)) {
				// Holds its lane (and the partition's committed offset) until the JVM is
				// killed.
				LockSupport.parkNanos(TimeUnit.MINUTES.toNanos(5));
			}
			// mostly short, with a few slow records that outlast a commit's round trip
			LockSupport.parkNanos(this.seed.delayNanos(record.partition(), record.offset(), this.maxDelayMicros, 100)
					+ this.slow.delayNanos(record.partition(), record.offset(), SLOW_MICROS, SLOW_PERCENT));
			this.log.append(record.partition(), record.offset(), record.key());
		}

	}

}
