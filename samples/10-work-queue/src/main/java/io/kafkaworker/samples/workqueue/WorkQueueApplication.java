package io.kafkaworker.samples.workqueue;

import io.kafkaworker.samples.support.DemoConfiguration;
import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * A work queue: {@link ThumbnailWorker} renders the thumbnails that the jobs of
 * {@value #TOPIC} ask for, through a Kafka share group, so that every running instance of
 * the application takes jobs although the topic has only {@value #PARTITIONS} partitions.
 * A job that keeps failing goes to {@value #DEAD_LETTER_TOPIC}. Jobs come from the seed
 * at startup ({@code demo.seed}) and from {@code POST /thumbnails}
 * ({@link JobController}).
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class WorkQueueApplication {

	/**
	 * The queue: the topic the jobs are written to.
	 */
	static final String TOPIC = "demo.thumbnails";

	/**
	 * The partitions of the topic: fewer than the instances a queue may have.
	 */
	static final int PARTITIONS = 2;

	/**
	 * Where jobs that still fail after their retries go: the topic followed by the
	 * worker's dead-letter suffix, {@code -dlt}.
	 */
	static final String DEAD_LETTER_TOPIC = TOPIC + "-dlt";

	@Bean
	NewTopic thumbnailsTopic() {
		return TopicBuilder.name(TOPIC).partitions(PARTITIONS).build();
	}

	@Bean
	NewTopic thumbnailsDeadLetterTopic() {
		return TopicBuilder.name(DEAD_LETTER_TOPIC).partitions(PARTITIONS).build();
	}

	@Bean
	ApplicationRunner seedJobs(DemoSeeder seeder, DemoWorkload workload) {
		return (args) -> {
			if (workload.seed() > 0) {
				seeder.seed(TOPIC, workload.seed(), (i) -> ThumbnailJobs.job("seed", i));
			}
		};
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example
	 * {@code --demo.seed=0 --server.port=8081}
	 */
	public static void main(String[] args) {
		SpringApplication.run(WorkQueueApplication.class, args);
	}

}
