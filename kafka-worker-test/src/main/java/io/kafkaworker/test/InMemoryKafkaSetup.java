package io.kafkaworker.test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.runtime.WorkerObserver;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * Puts an in-memory Kafka and a manual clock under an application context before it
 * refreshes: the beans and properties that {@link InMemoryKafkaWorkerTest} and
 * {@link KafkaWorkerTester#forHandlers} describe.
 */
final class InMemoryKafkaSetup {

	static final String OVERRIDES_PROPERTY_SOURCE = "kafkaWorkerTesterOverrides";

	static final String DEFAULTS_PROPERTY_SOURCE = "kafkaWorkerTesterDefaults";

	private InMemoryKafkaSetup() {
	}

	static KafkaWorkerTester apply(ConfigurableApplicationContext context, int defaultPartitions,
			Map<String, Integer> topics, boolean ownsContext) {
		if (!(context.getBeanFactory() instanceof BeanDefinitionRegistry registry)) {
			throw new IllegalStateException("The in-memory Kafka needs an application context whose bean factory "
					+ "accepts bean definitions, not " + context.getBeanFactory().getClass().getName());
		}
		InMemoryKafka kafka = new InMemoryKafka(defaultPartitions);
		topics.forEach(kafka::createTopic);
		ManualTaskScheduler scheduler = new ManualTaskScheduler();
		KafkaWorkerTester tester = new KafkaWorkerTester(kafka, scheduler, ownsContext);
		tester.attach(context);
		ConfigurableEnvironment environment = context.getEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		Map<String, Object> overrides = new LinkedHashMap<>();
		overrides.put("kafka.worker.defaults.commit-interval", "1ms");
		overrides.put("spring.kafka.admin.auto-create", "false");
		overrides.put("spring.kafka.listener.poll-timeout", "100ms");
		sources.addFirst(new MapPropertySource(OVERRIDES_PROPERTY_SOURCE, overrides));
		sources.addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE,
				Map.of("spring.kafka.consumer.auto-offset-reset", "earliest")));

		// Primary, so that an application's own factories do not make the workers'
		// lookups ambiguous.
		RootBeanDefinition consumerFactory = new RootBeanDefinition(ConsumerFactory.class,
				() -> new InMemoryConsumerFactory(kafka, consumerConfigs(environment)));
		consumerFactory.setPrimary(true);
		registry.registerBeanDefinition("kafkaConsumerFactory", consumerFactory);
		// Not transactional, like Spring Boot's without a transaction-id-prefix:
		// templates
		// built on it send at once; exactly-once workers make their own transactional
		// producers from it.
		RootBeanDefinition producerFactory = new RootBeanDefinition(ProducerFactory.class,
				() -> new MockProducerFactory<Object, Object>(() -> new InMemoryProducer(kafka)));
		producerFactory.setPrimary(true);
		registry.registerBeanDefinition("kafkaProducerFactory", producerFactory);
		RootBeanDefinition admin = new RootBeanDefinition(KafkaAdmin.class, () -> new InMemoryKafkaAdmin(kafka));
		admin.setPrimary(true);
		registry.registerBeanDefinition("kafkaAdmin", admin);
		RootBeanDefinition schedulerDefinition = new RootBeanDefinition(ManualTaskScheduler.class, () -> scheduler);
		// Not a candidate for injection by type: the application's @Scheduled methods
		// keep Spring Boot's scheduler.
		schedulerDefinition.setDefaultCandidate(false);
		registry.registerBeanDefinition(KafkaWorkerAutoConfiguration.TASK_SCHEDULER_BEAN_NAME, schedulerDefinition);
		registry.registerBeanDefinition("kafkaWorkerTesterObserver",
				new RootBeanDefinition(WorkerObserver.class, tester::observer));
		registry.registerBeanDefinition(KafkaWorkerTester.BEAN_NAME,
				new RootBeanDefinition(KafkaWorkerTester.class, () -> tester));
		return tester;
	}

	private static Map<String, Object> consumerConfigs(ConfigurableEnvironment environment) {
		Map<String, Object> configs = new HashMap<>();
		String reset = environment.getProperty("spring.kafka.consumer.auto-offset-reset");
		if (reset != null) {
			configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
		}
		String maxPollRecords = environment.getProperty("spring.kafka.consumer.max-poll-records");
		if (maxPollRecords != null) {
			configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
		}
		return configs;
	}

}
