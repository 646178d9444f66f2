package io.kafkaworker.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points a test's application context at the {@link SharedBroker}, creates the declared
 * topics and registers the {@link KafkaWorkerTestSupport} bean, before the context
 * refreshes. A record, so that test classes declaring the same topics share a cached
 * context (the broker, and with it the bootstrap servers, is the same for the whole JVM).
 *
 * @param topics the partitions of each topic to create, by name
 */
record EmbeddedKafkaWorkerContextCustomizer(Map<String, Integer> topics) implements ContextCustomizer {

	static final String BROKER_PROPERTY_SOURCE = "kafkaWorkerTestBroker";

	static final String DEFAULTS_PROPERTY_SOURCE = "kafkaWorkerTestDefaults";

	EmbeddedKafkaWorkerContextCustomizer {
		topics = Map.copyOf(topics);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
		SharedBroker broker = SharedBroker.get();
		broker.clients().createTopics(this.topics);
		broker.register(context);
		String servers = broker.bootstrapServers();
		Map<String, Object> connection = new LinkedHashMap<>();
		for (String prefix : new String[] { "spring.kafka.", "spring.kafka.consumer.", "spring.kafka.producer.",
				"spring.kafka.admin.", "spring.kafka.streams." }) {
			connection.put(prefix + "bootstrap-servers", servers);
		}
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		sources.addFirst(new MapPropertySource(BROKER_PROPERTY_SOURCE, connection));
		sources.addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE,
				Map.of("spring.kafka.consumer.auto-offset-reset", "earliest")));
		context.getBeanFactory()
			.registerSingleton(KafkaWorkerTestSupport.BEAN_NAME, new KafkaWorkerTestSupport(broker.clients(), context));
	}

}
