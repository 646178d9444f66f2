package io.kafkaworker.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaBatchWorkerAnnotationBeanPostProcessor;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.container.Worker;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.testsupport.OrdersWorkerConfiguration;
import io.kafkaworker.testsupport.StartupFailures;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.transaction.KafkaTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerAutoConfiguration}: conditions, property binding and
 * precedence, container settings, and the startup failures of bad workers.
 */
class KafkaWorkerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false");

	@Test
	void autoConfigurationWhenKafkaPresentShouldProvideWorkerInfrastructure() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(KafkaBatchWorkerAnnotationBeanPostProcessor.class)
			.hasSingleBean(WorkerRegistry.class)
			.hasSingleBean(KafkaWorkerEndpointRegistrar.class)
			.hasBean(KafkaWorkerAutoConfiguration.CONTAINER_FACTORY_BEAN_NAME));
	}

	@Test
	void autoConfigurationWhenDisabledShouldBackOff() {
		this.contextRunner.withPropertyValues("kafka.worker.enabled=false")
			.withUserConfiguration(OrdersWorkerConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KafkaWorkerEndpointRegistrar.class)
				.doesNotHaveBean(WorkerRegistry.class));
	}

	@Test
	void autoConfigurationWhenSpringKafkaIsMissingShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EnableKafka.class))
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaWorkerEndpointRegistrar.class));
	}

	@Test
	void workerWhenDeclaredShouldBeAListenerContainerInSpringKafkasRegistry() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class).run((context) -> {
			ConcurrentMessageListenerContainer<?, ?> container = container(context, "orders");
			assertThat(container.getGroupId()).isEqualTo("orders");
			assertThat(container.getContainerProperties().getTopics()).containsExactly("orders");
			assertThat(container.getContainerProperties().getAckMode()).isEqualTo(ContainerProperties.AckMode.MANUAL);
			assertThat(container.getContainerProperties().isAsyncAcks()).isFalse();
			assertThat(container.getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("enable.auto.commit", "false");
			assertThat(container.getConcurrency()).isEqualTo(1);
			assertThat(container.isAutoStartup()).isFalse();
			assertThat(container.getBatchInterceptor()).isNotNull();
		});
	}

	@Test
	void settingsWhenNotConfiguredShouldUseBuiltInDefaults() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class).run((context) -> {
			WorkerSettings settings = settings(context, "orders");
			assertThat(settings.mode()).isEqualTo(Mode.PARTITION);
			assertThat(settings.delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
			assertThat(settings.concurrency()).isEqualTo(16);
			assertThat(settings.consumers()).isEqualTo(1);
			assertThat(settings.batchSize()).isEqualTo(100);
			assertThat(settings.maxBufferedRecords()).isEqualTo(10_000);
			assertThat(settings.maxBufferedBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 10);
			assertThat(settings.commitInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(settings.commitTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.revokeTimeout()).isEqualTo(Duration.ofSeconds(10));
		});
	}

	@Test
	void failureSettingsWhenNotConfiguredShouldUseBuiltInDefaults() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class).run((context) -> {
			FailureSettings failure = settings(context, "orders").failure();
			assertThat(failure.onFailure()).isEqualTo(FailurePolicy.FREEZE);
			assertThat(failure.retry().maxAttempts()).isEqualTo(3);
			assertThat(failure.freezeScope()).isEqualTo(FreezeScope.PARTITION);
			assertThat(failure.freezeRetryAfter()).isNull();
			assertThat(failure.maxHeldRecords()).isEqualTo(10_000);
			assertThat(failure.deadLetterTopic()).isNull();
			assertThat(failure.createDeadLetterTopic()).isTrue();
			assertThat(failure.deadLetterSendTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings(context, "orders").exactlyOnceStore()).isEqualTo(ExactlyOnceStore.KAFKA);
		});
	}

	@Test
	void failureSettingsShouldPreferWorkerPropertiesThenDefaults() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.retry.max-attempts=5",
					"kafka.worker.workers.orders.retry.max-attempts=1", "kafka.worker.defaults.on-failure=SKIP",
					"kafka.worker.workers.orders.dead-letter.create-topic=false")
			.run((context) -> {
				FailureSettings failure = settings(context, "orders").failure();
				assertThat(failure.retry().maxAttempts()).isEqualTo(1);
				assertThat(failure.onFailure()).isEqualTo(FailurePolicy.SKIP);
				assertThat(failure.createDeadLetterTopic()).isFalse();
				assertThat(failure.deadLetterSendTimeout()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void settingsShouldPreferWorkerPropertiesThenAnnotationThenDefaults() {
		this.contextRunner.withUserConfiguration(AnnotatedWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.mode=SERIAL", "kafka.worker.defaults.concurrency=8",
					"kafka.worker.defaults.consumers=2", "kafka.worker.defaults.batch-size=50",
					"kafka.worker.workers.tuned.concurrency=64", "kafka.worker.workers.tuned.group-id=tuned-group",
					"kafka.worker.workers.tuned.topics=from-properties")
			.run((context) -> {
				WorkerSettings settings = settings(context, "tuned");
				// properties beat the annotation (concurrency = 32 there)
				assertThat(settings.concurrency()).isEqualTo(64);
				assertThat(settings.groupId()).isEqualTo("tuned-group");
				assertThat(settings.topics()).containsExactly("from-properties");
				// the annotation beats the defaults
				assertThat(settings.mode()).isEqualTo(Mode.KEY);
				assertThat(settings.consumers()).isEqualTo(3);
				// the defaults apply where neither says anything
				assertThat(settings.batchSize()).isEqualTo(50);
				assertThat(settings.maxBufferedRecords()).isEqualTo(10_000);
				assertThat(settings.maxBufferedBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 10);
				assertThat(container(context, "tuned").getConcurrency()).isEqualTo(3);
			});
	}

	@Test
	void maxBufferedRecordsWhenUnsetShouldCoverAHundredTimesTheRecordsInFlight() {
		this.contextRunner.withUserConfiguration(BatchWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.bulk.concurrency=20", "kafka.worker.workers.bulk.batch-size=50")
			.run((context) -> assertThat(settings(context, "bulk").maxBufferedRecords()).isEqualTo(100 * 20 * 50));
	}

	@Test
	void maxBufferedRecordsWhenAtMostOnceShouldStayNearTheRecordsInFlight() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.delivery=AT_MOST_ONCE",
					"kafka.worker.workers.orders.concurrency=400")
			.run((context) -> assertThat(settings(context, "orders").maxBufferedRecords()).isEqualTo(800));
	}

	@Test
	void maxBufferedBytesShouldBindDataSizes() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.max-buffered-bytes=64MB")
			.run((context) -> assertThat(settings(context, "orders").maxBufferedBytes()).isEqualTo(64L * 1024 * 1024));
	}

	@Test
	void idWhenNotDeclaredShouldDeriveFromBeanAndMethodNames() {
		this.contextRunner.withUserConfiguration(UnnamedWorkerConfiguration.class)
			.run((context) -> assertThat(context.getBean(WorkerRegistry.class).find("order-handler-on-order"))
				.isNotNull());
	}

	@Test
	void topicsShouldResolvePlaceholders() {
		this.contextRunner.withUserConfiguration(PlaceholderWorkerConfiguration.class)
			.withPropertyValues("app.topics=a,b")
			.run((context) -> assertThat(settings(context, "placeholder").topics()).containsExactly("a", "b"));
	}

	@Test
	void pollTimeoutShouldNotExceedTheCommitInterval() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.commit-interval=300ms")
			.run((context) -> assertThat(container(context, "orders").getContainerProperties().getPollTimeout())
				.isEqualTo(300));
	}

	@Test
	void springKafkaListenerPropertiesShouldApplyToWorkerContainers() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("spring.kafka.listener.poll-timeout=200ms", "spring.kafka.listener.ack-mode=RECORD",
					"spring.kafka.listener.async-acks=true")
			.run((context) -> {
				ContainerProperties properties = container(context, "orders").getContainerProperties();
				assertThat(properties.getPollTimeout()).isEqualTo(200);
				// the engine's own needs win over listener settings that would break it
				assertThat(properties.getAckMode()).isEqualTo(ContainerProperties.AckMode.MANUAL);
				assertThat(properties.isAsyncAcks()).isFalse();
			});
	}

	@Test
	void workerContainersShouldRunNoListenerTransactionsNorAutoCommitWhateverTheApplicationConfigures() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class, KafkaTransactionsConfiguration.class)
			.withPropertyValues("spring.kafka.listener.ack-mode=RECORD",
					"spring.kafka.producer.transaction-id-prefix=tx-", "spring.kafka.consumer.enable-auto-commit=true")
			.run((context) -> {
				// the application's own listeners do run in its Kafka transactions
				ConcurrentKafkaListenerContainerFactory<?, ?> listenerFactory = context
					.getBean("kafkaListenerContainerFactory", ConcurrentKafkaListenerContainerFactory.class);
				assertThat(listenerFactory.getContainerProperties().getKafkaAwareTransactionManager())
					.isSameAs(context.getBean("applicationTransactionManager"));
				// invariant 8: the engine commits alone
				ContainerProperties properties = container(context, "orders").getContainerProperties();
				assertThat(properties.getAckMode()).isEqualTo(ContainerProperties.AckMode.MANUAL);
				assertThat(properties.isAsyncAcks()).isFalse();
				assertThat(properties.getKafkaAwareTransactionManager()).isNull();
				assertThat(properties.getTransactionManager()).isNull();
				assertThat(properties.getKafkaConsumerProperties()).containsEntry("enable.auto.commit", "false");
			});
	}

	@Test
	void consumerPropertiesShouldApplyToTheWorkersConsumersTheWorkersOverTheDefaults() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.consumer-properties.max.poll.records=100",
					"kafka.worker.defaults.consumer-properties.fetch.min.bytes=10",
					"kafka.worker.workers.orders.consumer-properties.max.poll.records=3")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("max.poll.records", "3")
				.containsEntry("fetch.min.bytes", "10")
				.containsEntry("enable.auto.commit", "false"));
	}

	@Test
	void workersShouldRebalanceCooperativelyUnlessTheApplicationChoseHowTheGroupAssigns() {
		String strategy = "partition.assignment.strategy";
		String cooperative = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry(strategy, cooperative));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(
					"spring.kafka.consumer.properties." + strategy + "=org.apache.kafka.clients.consumer.RangeAssignor")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.doesNotContainKey(strategy));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.consumer-properties." + strategy
					+ "=org.apache.kafka.clients.consumer.StickyAssignor")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry(strategy, "org.apache.kafka.clients.consumer.StickyAssignor"));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("spring.kafka.consumer.properties.group.protocol=consumer")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.doesNotContainKey(strategy));
	}

	@Test
	void commitMetadataLimitShouldDefaultToTheBrokersDefaultAndMayBeTurnedOff() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.run((context) -> assertThat(settings(context, "orders").commitMetadataLimit()).isEqualTo(4096));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.commit-metadata-limit=0")
			.run((context) -> assertThat(settings(context, "orders").commitMetadataLimit()).isZero());
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.commit-metadata-limit=-1B")
			.run((context) -> assertThat(failure(context).getMessage())
				.contains("kafka.worker.defaults.commit-metadata-limit"));
	}

	@Test
	void startupWhenConsumerPropertiesSetTheGroupShouldFailNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.consumer-properties.group.id=other")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = failure(context);
				assertThat(failure)
					.hasMessageContaining("cannot set kafka.worker.workers.orders.consumer-properties.group.id")
					.hasMessageContaining("the consumer group is kafka.worker.workers.orders.group-id");
				assertThat(failure.getAction())
					.isEqualTo("Remove kafka.worker.workers.orders.consumer-properties.group.id.");
			});
	}

	@Test
	void startupWhenConsumerPropertiesEnableAutoCommitShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.consumer-properties.enable.auto.commit=true")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("cannot set kafka.worker.defaults.consumer-properties.enable.auto.commit")
				.hasMessageContaining("the worker commits offsets itself"));
	}

	@Test
	void startupWhenExactlyOnceWorkerWouldReadUncommittedShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.delivery=EXACTLY_ONCE",
					"kafka.worker.workers.orders.consumer-properties.isolation.level=read_uncommitted")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("cannot set kafka.worker.workers.orders.consumer-properties.isolation.level")
				.hasMessageContaining("delivery EXACTLY_ONCE reads its input read_committed"));
	}

	@ParameterizedTest
	@CsvSource({ "bootstrap.servers, other:9092, spring.kafka.bootstrap-servers",
			"client.id, mine, the client id is derived from the worker id",
			"key.deserializer, org.apache.kafka.common.serialization.StringDeserializer, deserializers come from",
			"spring.deserializer.value.delegate.class, org.apache.kafka.common.serialization.StringDeserializer, "
					+ "deserializers come from" })
	void startupWhenConsumerPropertiesSetWhatTheEngineOwnsShouldFail(String name, String value, String reason) {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.consumer-properties." + name + "=" + value)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining(
						"cannot set kafka.worker.workers.orders.consumer-properties." + name + "=" + value)
				.hasMessageContaining(reason));
	}

	@Test
	void exactlyOnceWorkerShouldReadCommittedWhateverSpellingOrDefaultsSay() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.delivery=EXACTLY_ONCE",
					"kafka.worker.defaults.consumer-properties.isolation.level=read_uncommitted",
					"kafka.worker.workers.orders.consumer-properties.isolation.level=READ_COMMITTED")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("isolation.level", "read_committed"));
	}

	@Test
	void atLeastOnceWorkerMayReadUncommitted() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.consumer-properties.isolation.level=read_uncommitted")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("isolation.level", "read_uncommitted"));
	}

	@Test
	void startupWhenMaxPollIntervalIsNotANumberShouldFailNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.consumer-properties.max.poll.interval.ms=5m")
			.run((context) -> assertThat(failure(context)).hasMessageContaining(
					"max.poll.interval.ms '5m' from kafka.worker.defaults.consumer-properties.max.poll.interval.ms "
							+ "is not a number of milliseconds"));
	}

	@Test
	void startupWhenRevocationCouldOutlastTheWorkersOwnMaxPollIntervalShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.consumer-properties.max.poll.interval.ms=15000",
					"kafka.worker.workers.orders.revoke-timeout=10s")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = failure(context);
				assertThat(failure).hasMessageContaining("max.poll.interval.ms = 15s");
				assertThat(failure.getAction())
					.contains("raise kafka.worker.workers.orders.consumer-properties.max.poll.interval.ms");
			});
	}

	@Test
	void startupWhenSignatureIsUnsupportedShouldFailNamingTheMethod() {
		this.contextRunner.withUserConfiguration(TwoParameterWorkerConfiguration.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("TwoParameterWorker.handle(String, int)")
				.hasMessageContaining("has 2 parameters"));
	}

	@Test
	void startupWhenTopicPlaceholderIsUnknownShouldFailNamingTheAttribute() {
		this.contextRunner.withUserConfiguration(PlaceholderWorkerConfiguration.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("@KafkaBatchWorker(topics = \"${app.topics}\")")
				.hasMessageContaining("PlaceholderWorker.handle(String)")
				.hasMessageContaining("app.topics"));
	}

	@Test
	void startupWhenConcurrencyPropertyIsZeroShouldFailNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.concurrency=0")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Invalid value '0' for kafka.worker.workers.orders.concurrency"));
	}

	@Test
	void startupWhenDefaultConcurrencyIsNegativeShouldFailNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.concurrency=-5")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Invalid value '-5' for kafka.worker.defaults.concurrency"));
	}

	@Test
	void startupWhenAnnotationConcurrencyIsZeroShouldFailNamingTheAttribute() {
		this.contextRunner.withUserConfiguration(ZeroConcurrencyWorkerConfiguration.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Invalid value '0' for @KafkaBatchWorker(concurrency = 0) on "
						+ "ZeroConcurrencyWorker.handle(String)"));
	}

	@Test
	void startupWhenCommitIntervalIsZeroShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.commit-interval=0s")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("kafka.worker.defaults.commit-interval")
				.hasMessageContaining("a positive duration"));
	}

	@Test
	void startupWhenExactlyOnceWithKafkaTransactionsHasKeyFreezeScopeShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.delivery=EXACTLY_ONCE",
					"kafka.worker.workers.orders.mode=KEY", "kafka.worker.workers.orders.freeze.scope=KEY")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("kafka.worker.workers.orders.freeze.scope")
				.hasMessageContaining("PARTITION, since delivery is EXACTLY_ONCE with Kafka transactions"));
	}

	@Test
	void kafkaTransactionsShouldSpanTwoThousandRecordsUnlessTheApplicationOrTheWorkerSetsThePollSize() {
		String eos = "kafka.worker.workers.orders.delivery=EXACTLY_ONCE";
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(eos)
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("max.poll.records", "2000"));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(eos, "spring.kafka.consumer.max-poll-records=300")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.doesNotContainKey("max.poll.records"));
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(eos, "kafka.worker.workers.orders.consumer-properties.max.poll.records=50")
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.containsEntry("max.poll.records", "50"));
		// at least once and the JDBC inbox commit no transaction per poll: Kafka's
		// default
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.run((context) -> assertThat(
					container(context, "orders").getContainerProperties().getKafkaConsumerProperties())
				.doesNotContainKey("max.poll.records"));
	}

	@Test
	void exactlyOnceWorkerShouldReadCommittedAndExposeTheSender() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.delivery=EXACTLY_ONCE")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(io.kafkaworker.transaction.TransactionalSender.class);
				org.assertj.core.api.Assertions.assertThatIllegalStateException()
					.isThrownBy(() -> context.getBean(io.kafkaworker.transaction.TransactionalSender.class)
						.send("out", "k", "v"))
					.withMessageContaining("outside the handler of a worker with delivery EXACTLY_ONCE");
			});
	}

	@Test
	void startupWhenTwoWorkersShareAnIdShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class, DuplicateIdWorkerConfiguration.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Two @KafkaBatchWorker methods have the id 'orders'"));
	}

	@Test
	void startupWhenWorkerHasNoTopicsShouldFail() {
		this.contextRunner.withUserConfiguration(NoTopicWorkerConfiguration.class).run((context) -> {
			KafkaWorkerConfigurationException failure = failure(context);
			assertThat(failure).hasMessageContaining("has no topics to consume");
			assertThat(failure.getAction()).contains("kafka.worker.workers.no-topic.topics");
		});
	}

	@Test
	void startupWhenRevocationCouldOutlastMaxPollIntervalShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("spring.kafka.consumer.properties.max.poll.interval.ms=15000",
					"kafka.worker.workers.orders.revoke-timeout=10s")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("revoke-timeout + commit-timeout = 20s")
				.hasMessageContaining("max.poll.interval.ms = 15s"));
	}

	@Test
	void startupWhenModePropertyIsDefaultShouldFail() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.mode=DEFAULT")
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Invalid value 'DEFAULT' for kafka.worker.defaults.mode"));
	}

	private static ConcurrentMessageListenerContainer<?, ?> container(AssertableApplicationContext context, String id) {
		assertThat(context).hasNotFailed();
		return (ConcurrentMessageListenerContainer<?, ?>) context.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer(id);
	}

	private static WorkerSettings settings(AssertableApplicationContext context, String id) {
		assertThat(context).hasNotFailed();
		return ((Worker) context.getBean(WorkerRegistry.class).find(id)).settings();
	}

	private static KafkaWorkerConfigurationException failure(AssertableApplicationContext context) {
		return StartupFailures.configurationFailure(context);
	}

	@Configuration(proxyBeanMethods = false)
	static class KafkaTransactionsConfiguration {

		@Bean
		KafkaTransactionManager<Object, Object> applicationTransactionManager(
				ProducerFactory<Object, Object> producerFactory) {
			return new KafkaTransactionManager<>(producerFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedWorkerConfiguration {

		@Bean
		TunedWorker tunedWorker() {
			return new TunedWorker();
		}

	}

	public static class TunedWorker {

		@KafkaBatchWorker(id = "tuned", topics = "from-annotation", mode = Mode.KEY, concurrency = 32, consumers = 3)
		public void handle(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BatchWorkerConfiguration {

		@Bean
		BulkWorker bulkWorker() {
			return new BulkWorker();
		}

	}

	public static class BulkWorker {

		@KafkaBatchWorker(id = "bulk", topics = "bulk")
		public void handle(List<String> payloads) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnnamedWorkerConfiguration {

		@Bean
		OrderHandler orderHandler() {
			return new OrderHandler();
		}

	}

	public static class OrderHandler {

		@KafkaBatchWorker(topics = "orders")
		public void onOrder(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderWorkerConfiguration {

		@Bean
		PlaceholderWorker placeholderWorker() {
			return new PlaceholderWorker();
		}

	}

	public static class PlaceholderWorker {

		@KafkaBatchWorker(id = "placeholder", topics = "${app.topics}")
		public void handle(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoParameterWorkerConfiguration {

		@Bean
		TwoParameterWorker twoParameterWorker() {
			return new TwoParameterWorker();
		}

	}

	public static class TwoParameterWorker {

		@KafkaBatchWorker(id = "two", topics = "orders")
		public void handle(String payload, int attempt) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ZeroConcurrencyWorkerConfiguration {

		@Bean
		ZeroConcurrencyWorker zeroConcurrencyWorker() {
			return new ZeroConcurrencyWorker();
		}

	}

	public static class ZeroConcurrencyWorker {

		@KafkaBatchWorker(id = "zero", topics = "orders", concurrency = 0)
		public void handle(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateIdWorkerConfiguration {

		@Bean
		DuplicateIdWorker duplicateIdWorker() {
			return new DuplicateIdWorker();
		}

	}

	public static class DuplicateIdWorker {

		@KafkaBatchWorker(id = "orders", topics = "other")
		public void handle(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoTopicWorkerConfiguration {

		@Bean
		NoTopicWorker noTopicWorker() {
			return new NoTopicWorker();
		}

	}

	public static class NoTopicWorker {

		@KafkaBatchWorker(id = "no-topic")
		public void handle(String payload) {
		}

	}

}
