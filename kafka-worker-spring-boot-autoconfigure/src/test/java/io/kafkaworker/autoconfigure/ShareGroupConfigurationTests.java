package io.kafkaworker.autoconfigure;

import java.time.Duration;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.container.ShareGroupSettings;
import io.kafkaworker.container.ShareGroupSettings.GroupConfig;
import io.kafkaworker.container.Worker;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.state.TableRow;
import io.kafkaworker.testsupport.StartupFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Share-group settings: properties win over the annotation, the group configs a worker
 * sets are its own share.* properties, and startup refuses what a share group cannot do,
 * naming the property to change.
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

	@Test
	void theGroupConfigsAreTheWorkersOwnProperties() {
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.jobs.share.auto-offset-reset=EARLIEST",
					"kafka.worker.workers.jobs.share.record-lock-duration=20s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ShareGroupSettings share = ((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings()
					.share();
				assertThat(share).isEqualTo(new ShareGroupSettings("earliest", Duration.ofSeconds(20), false));
				assertThat(share.groupConfigs()).extracting(GroupConfig::name, GroupConfig::value)
					.containsExactly(tuple("share.auto.offset.reset", "earliest"),
							tuple("share.record.lock.duration.ms", "20000"));
			});
		this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.share.auto-offset-reset=by_duration:PT1H")
			.run((context) -> assertThat(
					((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings().share().groupConfigs())
				.containsExactly(
						new GroupConfig("share.auto.offset.reset", "by_duration:PT1H", "share.auto-offset-reset")));
	}

	@Test
	void withoutThePropertiesTheGroupsConfigsAreLeftAlone() {
		this.contextRunner.run((context) -> assertThat(
				((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings().share().groupConfigs())
			.isEmpty());
	}

	@Test
	void groupConfigsOfAWorkerOfAConsumerGroupAreRefused() {
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.jobs.share-group=false",
					"kafka.worker.workers.jobs.share.auto-offset-reset=earliest")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'jobs'", "kafka.worker.workers.jobs.share.auto-offset-reset",
						"does not consume through a share group", "kafka.worker.workers.jobs.share-group");
				assertThat(failure.getAction()).contains("kafka.worker.workers.jobs.share-group=true",
						"remove kafka.worker.workers.jobs.share.*");
			});
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.jobs.share-group=false",
					"kafka.worker.workers.jobs.share.record-lock-duration=20s")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("kafka.worker.workers.jobs.share.record-lock-duration"));
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.jobs.share-group=false",
					"kafka.worker.workers.jobs.share.reject-exhausted=true")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage()).contains(
					"kafka.worker.workers.jobs.share.reject-exhausted", "does not consume through a share group"));
	}

	@Test
	void rejectingExhaustedRecordsIsAWorkerSettingAndNoGroupConfig() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.share.reject-exhausted=true")
			.run((context) -> {
				ShareGroupSettings share = ((Worker) context.getBean(WorkerRegistry.class).find("jobs")).settings()
					.share();
				assertThat(share.rejectExhausted()).isTrue();
				assertThat(share.groupConfigs()).isEmpty();
			});
	}

	@Test
	void valuesTheBrokerWouldNotTakeAreRefusedWithoutABroker() {
		for (String reset : new String[] { "earliset", "by_duration:1h", "by_duration:-PT1H", "none" }) {
			this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.share.auto-offset-reset=" + reset)
				.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
					.contains("kafka.worker.workers.jobs.share.auto-offset-reset", "earliest, latest, or by_duration"));
		}
		this.contextRunner.withPropertyValues("kafka.worker.workers.jobs.share.record-lock-duration=0s")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("kafka.worker.workers.jobs.share.record-lock-duration", "a positive duration"));
	}

	@Test
	void groupConfigsOfAWorkerOnANamedClusterAreRefused() {
		// Set through the application's admin, which reaches the cluster of
		// spring.kafka.*, not the worker's.
		this.contextRunner
			.withPropertyValues("kafka.worker.clusters.other.bootstrap-servers=localhost:2",
					"kafka.worker.workers.jobs.cluster=other", "kafka.worker.workers.jobs.on-failure=SKIP",
					"kafka.worker.workers.jobs.share.auto-offset-reset=earliest")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("cluster 'other'", "configs of its share group");
				assertThat(failure.getAction()).contains("kafka.worker.workers.jobs.share.*");
			});
	}

	@Test
	void aWorkerTakingAGroupTableRowCannotBeAShareGroupWorker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
			.withUserConfiguration(TableQueueConfiguration.class)
			.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1",
					"kafka.worker.defaults.auto-startup=false", "kafka.worker.workers.counter.on-failure=DEAD_LETTER")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'counter'", "group-table row");
				assertThat(failure.getAction()).contains("share-group=false");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class TableQueueConfiguration {

		@Bean
		Counter counter() {
			return new Counter();
		}

	}

	public static class Counter {

		@KafkaBatchWorker(id = "counter", topics = "clicks", mode = Mode.PARALLEL, shareGroup = "true")
		public void count(ConsumerRecord<String, String> click, TableRow<Long> clicks) {
		}

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
