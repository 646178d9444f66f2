package io.kafkaworker.integration;

import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.Seed;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker application with the database inbox that the crash test runs in a child JVM
 * and kills with SIGKILL. Its handler writes one row per record into the application
 * table {@code applied} (no unique key, so a record applied twice shows as two rows), in
 * the transaction of the inbox, then waits a random time before the transaction commits.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class InboxCrashableWorkerApplication {

	@Bean
	ApplyingWorker applyingWorker(JdbcTemplate jdbc, @Value("${test.max-delay-micros}") long maxDelayMicros,
			@Value("${test.seed}") long seed) {
		return new ApplyingWorker(jdbc, maxDelayMicros, Seed.of(seed));
	}

	/**
	 * Start the application.
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(InboxCrashableWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Applies records to the application table.
	 */
	public static class ApplyingWorker {

		private final JdbcTemplate jdbc;

		private final long maxDelayMicros;

		private final Seed seed;

		ApplyingWorker(JdbcTemplate jdbc, long maxDelayMicros, Seed seed) {
			this.jdbc = jdbc;
			this.maxDelayMicros = maxDelayMicros;
			this.seed = seed;
		}

		/**
		 * Apply one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "applying", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			this.jdbc.update("INSERT INTO applied (partition_id, record_offset) VALUES (?, ?)", record.partition(),
					record.offset());
			LockSupport.parkNanos(this.seed.delayNanos(record.partition(), record.offset(), this.maxDelayMicros, 100));
		}

	}

}
