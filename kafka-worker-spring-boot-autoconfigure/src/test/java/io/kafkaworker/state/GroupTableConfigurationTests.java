package io.kafkaworker.state;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
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
 * Which workers may have a group table, and what startup says to those that may not.
 */
class GroupTableConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false");

	@Test
	void keyModeWorkerWithATableRowStarts() {
		this.contextRunner.withUserConfiguration(CounterConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void tableRowInPartitionModeIsRefusedNamingTheWorkerAndTheFix() {
		this.contextRunner.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("kafka.worker.workers.counter.mode=PARTITION")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'counter'", "TableRow", "mode PARTITION");
				assertThat(failure.getAction()).contains("kafka.worker.workers.counter.mode=KEY");
			});
	}

	@Test
	void tableRowWithAtMostOnceIsRefused() {
		this.contextRunner.withUserConfiguration(CounterConfiguration.class)
			.withPropertyValues("kafka.worker.workers.counter.delivery=AT_MOST_ONCE")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("delivery AT_MOST_ONCE"));
	}

	@Test
	void tableRowWithAListOfRecordsIsRefused() {
		this.contextRunner.withUserConfiguration(BatchConfiguration.class)
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("takes a list and a TableRow"));
	}

	@Test
	void tableRowWithoutAValueTypeIsRefused() {
		this.contextRunner.withUserConfiguration(RawConfiguration.class)
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getAction())
				.contains("TableRow<Long>"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CounterConfiguration {

		@Bean
		Counter counter() {
			return new Counter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BatchConfiguration {

		@Bean
		BatchCounter batchCounter() {
			return new BatchCounter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RawConfiguration {

		@Bean
		RawCounter rawCounter() {
			return new RawCounter();
		}

	}

	public static class Counter {

		@KafkaBatchWorker(id = "counter", topics = "clicks", mode = Mode.KEY)
		public void count(ConsumerRecord<String, String> click, TableRow<Long> clicks) {
			clicks.set(clicks.getOrDefault(0L) + 1);
		}

	}

	public static class BatchCounter {

		@KafkaBatchWorker(id = "batch", topics = "clicks", mode = Mode.KEY)
		public void count(java.util.List<ConsumerRecord<String, String>> clicks, TableRow<Long> count) {
		}

	}

	public static class RawCounter {

		@KafkaBatchWorker(id = "raw", topics = "clicks", mode = Mode.KEY)
		@SuppressWarnings("rawtypes")
		public void count(ConsumerRecord<String, String> click, TableRow clicks) {
		}

	}

}
