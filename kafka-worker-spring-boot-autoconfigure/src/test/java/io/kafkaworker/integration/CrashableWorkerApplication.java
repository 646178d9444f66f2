package io.kafkaworker.integration;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.testsupport.HandledLog;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A worker application that the crash tests run in a child JVM and kill with SIGKILL. Its
 * handler waits a random time, then appends the record to a {@link HandledLog} before
 * returning, so the log holds every record whose handler finished.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CrashableWorkerApplication {

	@Bean
	HandledLog handledLog(@Value("${test.log}") Path path) {
		return new HandledLog(path);
	}

	@Bean
	LoggingWorker loggingWorker(HandledLog log, @Value("${test.max-delay-micros}") long maxDelayMicros) {
		return new LoggingWorker(log, maxDelayMicros);
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

		LoggingWorker(HandledLog log, long maxDelayMicros) {
			this.log = log;
			this.maxDelayMicros = maxDelayMicros;
		}

		/**
		 * Handle one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "crashable", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(this.maxDelayMicros * 1000 + 1));
			this.log.append(record.partition(), record.offset(), record.key());
		}

	}

}
