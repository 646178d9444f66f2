package io.kafkaworker.samples.shutdown;

import io.kafkaworker.samples.support.DemoConfiguration;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Sample 02: graceful shutdown and readiness. {@link PaymentWorker} handles the payments
 * of {@value #TOPIC} one at a time, as in sample 01. {@link ReadinessLog} logs the
 * readiness probe turning from DOWN to UP once the worker has joined its group and
 * received its partitions, and what happens on SIGTERM (or Ctrl+C): the worker stops
 * fetching, finishes the call in flight, commits exactly what it handled and leaves the
 * group, all before the application exits. Started again on the same broker, the worker
 * goes on from there: nothing lost, nothing handled twice.
 */
@SpringBootApplication
@EnableScheduling
@Import(DemoConfiguration.class)
public class GracefulShutdownApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String TOPIC = "demo.payments";

	@Bean
	NewTopic paymentsTopic() {
		return TopicBuilder.name(TOPIC).partitions(3).build();
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example
	 * {@code --spring.kafka.bootstrap-servers=localhost:9092}
	 */
	public static void main(String[] args) {
		SpringApplication.run(GracefulShutdownApplication.class, args);
	}

}
