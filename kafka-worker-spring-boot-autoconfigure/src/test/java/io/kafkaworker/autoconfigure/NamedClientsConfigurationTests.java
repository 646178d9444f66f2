package io.kafkaworker.autoconfigure;

import java.util.List;
import java.util.Map;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.StartupFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named producers and clusters (ekafka's named clients): a KafkaTemplate bean per
 * producer, built over Spring Boot's producer settings, that never stands in for Boot's
 * template; and what startup says about names and settings that cannot work.
 */
class NamedClientsConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=main:9092", "spring.kafka.producer.acks=1",
				"kafka.worker.defaults.auto-startup=false",
				"kafka.worker.clusters.backup.bootstrap-servers=backup:9092",
				"kafka.worker.clusters.backup.properties.security.protocol=SASL_SSL");

	@Test
	void aNamedProducerIsATemplateOfItsOwnOverBootsSettingsAndBootsTemplateStays() {
		this.contextRunner
			.withPropertyValues("kafka.worker.producers.audit.cluster=backup",
					"kafka.worker.producers.audit.compression-type=zstd", "kafka.worker.producers.audit.acks=all",
					"kafka.worker.producers.audit.default-topic=audit",
					"kafka.worker.producers.audit.properties.linger.ms=20", "kafka.worker.producers.fast.acks=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(KafkaTemplate.class)).as("the template found by type")
					.isSameAs(context.getBean("kafkaTemplate"));
				KafkaTemplate<?, ?> audit = context.getBean("audit", KafkaTemplate.class);
				Map<String, Object> configuration = audit.getProducerFactory().getConfigurationProperties();
				assertThat(configuration).containsEntry("bootstrap.servers", "backup:9092")
					.containsEntry("security.protocol", "SASL_SSL")
					.containsEntry("compression.type", "zstd")
					.containsEntry("acks", "all")
					.containsEntry("linger.ms", "20");
				assertThat(audit.getDefaultTopic()).isEqualTo("audit");
				assertThat(audit.isTransactional()).isFalse();
				Map<String, Object> fast = context.getBean("fast", KafkaTemplate.class)
					.getProducerFactory()
					.getConfigurationProperties();
				assertThat(fast).containsEntry("acks", "0").containsEntry("bootstrap.servers", List.of("main:9092"));
			});
	}

	@Test
	void aNamedProducerOfATransactionalApplicationGetsTransactionalIdsOfItsOwn() {
		this.contextRunner.withPropertyValues("spring.kafka.producer.transaction-id-prefix=tx-",
				"kafka.worker.producers.audit.acks=all", "kafka.worker.producers.ledger.transaction-id-prefix=ledger-")
			.run((context) -> {
				assertThat(context.getBean("audit", KafkaTemplate.class).getProducerFactory().getTransactionIdPrefix())
					.isEqualTo("tx-audit-");
				assertThat(context.getBean("ledger", KafkaTemplate.class).getProducerFactory().getTransactionIdPrefix())
					.isEqualTo("ledger-");
			});
	}

	@Test
	void anUnknownClusterIsRefusedNamingIt() {
		this.contextRunner.withPropertyValues("kafka.worker.producers.audit.cluster=archive").run((context) -> {
			KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
			assertThat(failure.getMessage()).contains("Producer 'audit'", "cluster 'archive'", "[backup]");
			assertThat(failure.getAction()).contains("kafka.worker.clusters.archive.bootstrap-servers");
		});
	}

	@Test
	void aTransactionalIdPropertyIsRefused() {
		this.contextRunner.withPropertyValues("kafka.worker.producers.audit.properties.transactional.id=x")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getAction())
				.contains("kafka.worker.producers.audit.transaction-id-prefix"));
	}

	@Test
	void aWorkerOnANamedClusterCannotDeadLetter() {
		this.contextRunner.withUserConfiguration(WorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.cluster=backup",
					"kafka.worker.workers.orders.on-failure=DEAD_LETTER")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure.getMessage()).contains("'orders'", "cluster 'backup'", "dead-letters");
			});
	}

	@Test
	void aWorkerOnAnUnknownClusterIsRefused() {
		this.contextRunner.withUserConfiguration(WorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.cluster=archive")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context).getMessage())
				.contains("kafka.worker.workers.orders.cluster", "cluster 'archive'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerConfiguration {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

	public static class Orders {

		@KafkaBatchWorker(id = "orders", topics = "orders", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> order) {
		}

	}

}
