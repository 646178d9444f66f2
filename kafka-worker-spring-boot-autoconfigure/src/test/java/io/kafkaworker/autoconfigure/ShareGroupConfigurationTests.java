package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.container.Worker;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.testsupport.StartupFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Share-group settings: properties win over the annotation, and startup refuses what a
 * share group cannot do, naming the property to change.
 */
class ShareGroupConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withUserConfiguration(QueueConfiguration.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false",
				"kafka.worker.workers.jobs.on-failure=DEAD_LETTER");

	@Test
	void theAnnotationMakesAShareGroupWorker() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings().shareGroup()).isTrue();
		});
	}

	@Test
	void thePropertyWinsOverTheAnnotation() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.share-group=false")
			.run((context) -> assertThat(
					((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings().shareGroup())
				.isFalse());
	}

	@Test
	void orderedModesAreRefused() {
		for (String mode : new String[] { "SERIAL", "PARTITION", "KEY" }) {
			this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.mode=" + mode).run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'jobs'", "share group", mode, "no order");
				assertThat(failure.getAction()).contains("PARALLEL");
			});
		}
	}

	@Test
	void deliveriesOtherThanAtLeastOnceAreRefused() {
		for (String delivery : new String[] { "EXACTLY_ONCE", "AT_MOST_ONCE" }) {
			this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.delivery=" + delivery)
				.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
					.contains(delivery, "no transactions"));
		}
	}

	@Test
	void freezeIsRefusedForWantOfAPartitionToStop() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.on-failure=FREEZE").run((context) -> {
			KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
			assertThat(failure.getMessage()).contains("FREEZE", "no partition to stop");
			assertThat(failure.getAction()).contains("kafka.worker.workers.jobs.on-failure", "DEAD_LETTER", "SKIP");
		});
	}

	@Test
	void aReaderCannotBeAShareGroupWorker() {
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.jobs.reader.enabled=true",
					"kafka.worker.workers.jobs.reader.partitions=0")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("reader"));
	}

	@Configuration(proxyBeanMethods = false)
	static class QueueConfiguration {

		@Bean
		Jobs jobs() {
			return new Jobs();
		}

	}

	public static class Jobs {

		@KafkaBatchWorker(id = "jobs", topics = "jobs", mode = Mode.PARALLEL, shareGroup = "true")
		public void handle(ConsumerRecord<String, String> job) {
		}

	}

}
