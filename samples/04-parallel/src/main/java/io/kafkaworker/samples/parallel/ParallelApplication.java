package io.kafkaworker.samples.parallel;

import io.kafkaworker.samples.support.DemoConfiguration;
import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Sample 04: parallel. {@link NotificationWorker} sends the notifications of
 * {@value #TOPIC} with up to 64 calls at once, far more than the topic's
 * {@value #PARTITIONS} partitions, in no order: the fastest mode, for work whose order
 * does not matter (notifications, logging, broadcasting). Commits still never pass a
 * record that is not done.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class ParallelApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String TOPIC = "demo.notifications";

	/**
	 * The partitions of the topic.
	 */
	static final int PARTITIONS = 6;

	@Bean
	NewTopic notificationsTopic() {
		return TopicBuilder.name(TOPIC).partitions(PARTITIONS).build();
	}

	// Notification i goes to user-(i % 500).
	@Bean
	ApplicationRunner seedNotifications(DemoSeeder seeder, DemoWorkload workload) {
		return (args) -> seeder.seed(TOPIC, workload.seed(),
				(i) -> new ProducerRecord<>(TOPIC, "user-" + (i % 500), "Your parcel " + i + " has shipped"));
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example {@code --demo.seed=10000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(ParallelApplication.class, args);
	}

}
