package io.kafkaworker.autoconfigure;

import java.time.Instant;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.annotation.ReadFrom;
import io.kafkaworker.annotation.Reader;
import io.kafkaworker.container.ReaderSettings;
import io.kafkaworker.container.Worker;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.state.TableRow;
import io.kafkaworker.testsupport.StartupFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reader settings: what a reader resolves to, and what startup says about settings a
 * reader cannot have, naming the property to change.
 */
class ReaderConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withUserConfiguration(ReaderConfiguration.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false",
				"kafka.worker.workers.backfill.reader.enabled=true",
				// listed, so that no broker is needed to look the partitions up
				"kafka.worker.workers.backfill.reader.partitions=0,1,2");

	@Test
	void aReaderResolvesItsStartAndEndAndHasOneConsumer() {
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.backfill.consumers=4",
					"kafka.worker.workers.backfill.reader.start=OFFSETS",
					"kafka.worker.workers.backfill.reader.start-offsets.orders-2=42",
					"kafka.worker.workers.backfill.reader.stop-at=END")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WorkerSettings settings = ((Worker) context.getBean(WorkerRegistry.class).find("backfill")).settings();
				assertThat(settings.consumers()).isOne();
				ReaderSettings reader = settings.reader();
				assertThat(reader).isNotNull();
				assertThat(reader.startOffsets())
					.containsExactly(org.assertj.core.api.Assertions.entry(new TopicPartition("orders", 2), 42L));
				assertThat(reader.stopAtEnd()).isTrue();
			});
	}

	@Test
	void aReaderIsAtLeastOnce() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.backfill.delivery=EXACTLY_ONCE").run((context) -> {
			KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
			assertThat(failure.getMessage()).contains("'backfill'", "reader.enabled=true", "EXACTLY_ONCE");
			assertThat(failure.getAction()).contains("AT_LEAST_ONCE");
		});
	}

	@Test
	void aTimestampStartNeedsATimestamp() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.backfill.reader.start=TIMESTAMP")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getAction())
				.contains("kafka.worker.workers.backfill.reader.start-timestamp"));
	}

	@Test
	void startOffsetsAreKeyedByATopicOfTheWorkerAndAPartition() {
		this.contextRunner
			.withPropertyValues("kafka.worker.workers.backfill.reader.start=OFFSETS",
					"kafka.worker.workers.backfill.reader.start-offsets.payments-0=5")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'payments-0'", "[orders]");
				assertThat(failure.getAction()).contains("orders-0=100");
			});
	}

	@Test
	void exitWhenDoneNeedsAnEnd() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.backfill.reader.exit-when-done=true")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getAction())
				.contains("kafka.worker.workers.backfill.reader.stop-at=END"));
	}

	@Test
	void aReaderTakesNoTableRow() {
		this.contextRunner.withUserConfiguration(TableReaderConfiguration.class)
			.withPropertyValues("kafka.worker.workers.counter.reader.enabled=true",
					"kafka.worker.workers.counter.reader.partitions=0")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("'counter'", "TableRow"));
	}

	@Test
	void theAnnotationsReaderAppliesAndPropertiesWin() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
			.withUserConfiguration(AnnotatedReaderConfiguration.class)
			.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1",
					"kafka.worker.defaults.auto-startup=false", "kafka.worker.workers.replay.reader.stop-at=NEVER")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReaderSettings reader = ((Worker) context.getBean(WorkerRegistry.class).find("replay")).settings()
					.reader();
				assertThat(reader).isNotNull();
				assertThat(reader.start()).isEqualTo(ReadFrom.TIMESTAMP);
				assertThat(reader.startTimestamp()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
				assertThat(reader.partitions()).containsExactly(0, 2);
				assertThat(reader.stopAtEnd()).as("the property's NEVER over the annotation's end").isFalse();
			});
	}

	@Test
	void thePropertiesCanTurnTheAnnotationsReaderOff() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
			.withUserConfiguration(AnnotatedReaderConfiguration.class)
			.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1",
					"kafka.worker.defaults.auto-startup=false", "kafka.worker.workers.replay.reader.enabled=false")
			.run((context) -> assertThat(
					((Worker) context.getBean(WorkerRegistry.class).find("replay")).settings().reader())
				.isNull());
	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedReaderConfiguration {

		@Bean
		Replay replay() {
			return new Replay();
		}

	}

	public static class Replay {

		@KafkaBatchWorker(id = "replay", topics = "orders", mode = Mode.KEY,
				reader = @Reader(start = ReadFrom.TIMESTAMP, startTimestamp = "2026-12-01T00:00:00Z",
						partitions = { 0, 2 }, stopAtEnd = true))
		public void handle(ConsumerRecord<String, String> order) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReaderConfiguration {

		@Bean
		Backfill backfill() {
			return new Backfill();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TableReaderConfiguration {

		@Bean
		Counter counter() {
			return new Counter();
		}

	}

	public static class Backfill {

		@KafkaBatchWorker(id = "backfill", topics = "orders", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> order) {
		}

	}

	public static class Counter {

		@KafkaBatchWorker(id = "counter", topics = "clicks", mode = Mode.KEY)
		public void count(ConsumerRecord<String, String> click, TableRow<Long> clicks) {
		}

	}

}
