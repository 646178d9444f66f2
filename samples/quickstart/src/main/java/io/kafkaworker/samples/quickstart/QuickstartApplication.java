package io.kafkaworker.samples.quickstart;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The quickstart application. Everything Kafka-related comes from Spring Boot's
 * {@code spring.kafka.*} auto-configuration and the kafka-worker starter; this class only
 * declares the two topics.
 *
 * <p>
 * Without {@code spring.kafka.bootstrap-servers},
 * {@link io.kafkaworker.samples.support.InProcessKafkaBrokerRunListener} starts a Kafka
 * broker inside this JVM first, so the application runs with nothing installed.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(DemoProperties.class)
public class QuickstartApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String ORDERS_TOPIC = "demo.orders";

	/**
	 * The topic the worker writes one record to for every record it processes.
	 */
	static final String PROCESSED_TOPIC = "demo.orders.processed";

	/**
	 * Partitions of both topics. With 256 records in flight, the worker runs far more
	 * records at once than there are partitions.
	 */
	static final int PARTITIONS = 6;

	// NewTopic beans are created (or left alone if they exist) by Spring Boot's
	// KafkaAdmin
	// when the context starts. No replica count: the broker's default applies.

	@Bean
	NewTopic ordersTopic() {
		return TopicBuilder.name(ORDERS_TOPIC).partitions(PARTITIONS).build();
	}

	@Bean
	NewTopic processedTopic() {
		return TopicBuilder.name(PROCESSED_TOPIC).partitions(PARTITIONS).build();
	}

	/**
	 * Run the quickstart.
	 * @param args command-line arguments, for example {@code --demo.seed=50000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(QuickstartApplication.class, args);
	}

}
