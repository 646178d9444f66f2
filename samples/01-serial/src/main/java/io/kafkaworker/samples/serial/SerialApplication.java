package io.kafkaworker.samples.serial;

import io.kafkaworker.samples.support.DemoConfiguration;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Sample 01: a simple serial worker. {@link ReadingWorker} handles the sensor readings of
 * {@value #TOPIC} one at a time, in the order the consumer polls them; a reading it
 * cannot parse is logged and committed past ({@code on-failure: SKIP} in
 * {@code application.yml}), so the stream never stops. {@link ReadingSeeder} produces the
 * demo readings at startup, some of them malformed on purpose.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class SerialApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String TOPIC = "demo.readings";

	@Bean
	NewTopic readingsTopic() {
		return TopicBuilder.name(TOPIC).partitions(3).build();
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example {@code --demo.seed=10000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SerialApplication.class, args);
	}

}
