package io.kafkaworker.test;

import java.util.Map;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers the {@link KafkaWorkerTestSupport} of a {@link ConnectedKafkaWorkerTest}: its
 * clients connect where Spring Boot's {@link KafkaConnectionDetails} say, which a
 * {@code @ServiceConnection} container provides, once the context creates its beans.
 *
 * @param topics the partitions of each topic to create, by name
 */
record ConnectedKafkaWorkerContextCustomizer(Map<String, Integer> topics) implements ContextCustomizer {

	static final String CLIENTS_BEAN_NAME = "kafkaWorkerTestBrokerClients";

	ConnectedKafkaWorkerContextCustomizer {
		topics = Map.copyOf(topics);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
		if (!(context.getBeanFactory() instanceof BeanDefinitionRegistry registry)) {
			throw new IllegalStateException("@ConnectedKafkaWorkerTest needs an application context whose bean "
					+ "factory accepts bean definitions, not " + context.getBeanFactory().getClass().getName());
		}
		// A bean, so that the context closes the clients when it closes.
		RootBeanDefinition clients = new RootBeanDefinition(BrokerClients.class, () -> {
			KafkaConnectionDetails details = context.getBean(KafkaConnectionDetails.class);
			BrokerClients connected = new BrokerClients(String.join(",", details.getBootstrapServers()));
			connected.createTopics(this.topics);
			return connected;
		});
		clients.setDefaultCandidate(false);
		registry.registerBeanDefinition(CLIENTS_BEAN_NAME, clients);
		registry.registerBeanDefinition(KafkaWorkerTestSupport.BEAN_NAME, new RootBeanDefinition(
				KafkaWorkerTestSupport.class,
				() -> new KafkaWorkerTestSupport(context.getBean(CLIENTS_BEAN_NAME, BrokerClients.class), context)));
	}

}
