package io.kafkaworker.samples.batchtracing;

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
 * Sample 07: batches, traced and measured. {@link TelemetryWorker} writes the telemetry
 * of {@value #TOPIC} in lane-batches of up to 100 records per call. With observations on
 * ({@code application.yml}), each call is one span, linked to the trace of every record
 * in it; each seeded record carries its own trace, started by the {@code KafkaTemplate}
 * send that produced it. The worker's meters count the calls and their records.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class BatchTracingApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String TOPIC = "demo.telemetry";

	@Bean
	NewTopic telemetryTopic() {
		return TopicBuilder.name(TOPIC).partitions(3).build();
	}

	// Sample i comes from host-(i % 40).
	@Bean
	ApplicationRunner seedTelemetry(DemoSeeder seeder, DemoWorkload workload) {
		return (args) -> seeder.seed(TOPIC, workload.seed(),
				(i) -> new ProducerRecord<>(TOPIC, "host-" + (i % 40), "cpu=" + (i * 37 % 100)));
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example
	 * {@code --management.opentelemetry.tracing.export.otlp.endpoint=http://localhost:4318/v1/traces}
	 */
	public static void main(String[] args) {
		SpringApplication.run(BatchTracingApplication.class, args);
	}

}
