package io.kafkaworker.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.util.StringUtils;

/**
 * Registers a {@link KafkaTemplate} bean per named producer
 * ({@code kafka.worker.producers.<name>}), named after it, so that
 * {@code @Qualifier("audit") KafkaTemplate<String, String>} injects it (ekafka's named
 * clients). Each is built from the application's own {@link ProducerFactory} (Spring
 * Boot's, with its serializers, connection details and SSL bundles) with the producer's
 * settings and its cluster's laid over, through {@link KafkaTemplate}'s configuration
 * overrides, which give the template a factory of its own that it closes with itself. The
 * templates are no default candidates: Spring Boot's {@code kafkaTemplate} stays the one
 * that injection by type finds.
 */
final class KafkaWorkerProducersRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

	private Map<String, KafkaWorkerProperties.NamedProducer> producers = Map.of();

	private Map<String, KafkaWorkerProperties.Cluster> clusters = Map.of();

	@Override
	public void setEnvironment(Environment environment) {
		Binder binder = Binder.get(environment);
		this.producers = binder
			.bind("kafka.worker.producers", Bindable.mapOf(String.class, KafkaWorkerProperties.NamedProducer.class))
			.orElseGet(Map::of);
		this.clusters = binder
			.bind("kafka.worker.clusters", Bindable.mapOf(String.class, KafkaWorkerProperties.Cluster.class))
			.orElseGet(Map::of);
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		this.producers.forEach((name, producer) -> registry.registerBeanDefinition(name,
				definition(name, producer, (BeanFactory) registry)));
	}

	private RootBeanDefinition definition(String name, KafkaWorkerProperties.NamedProducer producer,
			BeanFactory beanFactory) {
		Map<String, Object> overrides = overrides(name, producer);
		RootBeanDefinition definition = new RootBeanDefinition(KafkaTemplate.class,
				() -> template(name, producer, overrides, beanFactory));
		// Raw, as Spring Boot's KafkaTemplate<?, ?>: injectable with any key and value
		// types.
		definition.setDefaultCandidate(false);
		return definition;
	}

	// Checked when the context starts, so that a bad setting fails startup naming it.
	private Map<String, Object> overrides(String name, KafkaWorkerProperties.NamedProducer producer) {
		Map<String, Object> overrides = new LinkedHashMap<>();
		String prefix = "kafka.worker.producers." + name;
		if (producer.getCluster() != null) {
			overrides.putAll(new NamedClusters(this.clusters).overrides(producer.getCluster(),
					"Producer '" + name + "' (" + prefix + ".cluster)"));
		}
		putIfSet(overrides, ProducerConfig.ACKS_CONFIG, producer.getAcks());
		putIfSet(overrides, ProducerConfig.COMPRESSION_TYPE_CONFIG, producer.getCompressionType());
		putIfSet(overrides, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, producer.getIdempotence());
		overrides.putAll(producer.getProperties());
		if (overrides.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
			throw new KafkaWorkerConfigurationException(
					"Producer '" + name + "' sets " + ProducerConfig.TRANSACTIONAL_ID_CONFIG + " in " + prefix
							+ ".properties",
					"Set " + prefix + ".transaction-id-prefix instead: each producer gets an id of its own.");
		}
		return overrides;
	}

	private static KafkaTemplate<Object, Object> template(String name, KafkaWorkerProperties.NamedProducer producer,
			Map<String, Object> overrides, BeanFactory beanFactory) {
		@SuppressWarnings("unchecked")
		ProducerFactory<Object, Object> application = beanFactory.getBeanProvider(ProducerFactory.class).getIfUnique();
		if (application == null) {
			throw new KafkaWorkerConfigurationException(
					"Producer '" + name + "' (kafka.worker.producers." + name
							+ ") needs the application's ProducerFactory, and there is none or several",
					"Let Spring Boot auto-configure Kafka (spring.kafka.producer.*), or define one ProducerFactory.");
		}
		Map<String, Object> configuration = new LinkedHashMap<>(overrides);
		// Each template's transactional ids must be its own: sharing a prefix with
		// another factory would let their producers fence each other.
		String applicationPrefix = application.getTransactionIdPrefix();
		if (StringUtils.hasText(producer.getTransactionIdPrefix())) {
			configuration.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, producer.getTransactionIdPrefix());
		}
		else if (StringUtils.hasText(applicationPrefix)) {
			configuration.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, applicationPrefix + name + "-");
		}
		KafkaTemplate<Object, Object> template = new KafkaTemplate<>(application, configuration);
		if (producer.getDefaultTopic() != null) {
			template.setDefaultTopic(producer.getDefaultTopic());
		}
		KafkaProperties boot = beanFactory.getBeanProvider(KafkaProperties.class).getIfAvailable();
		if (boot != null) {
			template.setObservationEnabled(boot.getTemplate().isObservationEnabled());
		}
		return template;
	}

	private static void putIfSet(Map<String, Object> overrides, String name, @Nullable Object value) {
		if (value != null) {
			overrides.put(name, String.valueOf(value));
		}
	}

}
