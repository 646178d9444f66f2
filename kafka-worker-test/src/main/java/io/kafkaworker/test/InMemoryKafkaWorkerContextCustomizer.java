package io.kafkaworker.test;

import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts the in-memory Kafka under a test's application context. A record whose test class
 * is part of it, so that each test class has its own context and in-memory Kafka.
 *
 * @param testClass the test class
 * @param partitions the partitions of topics the test does not create
 */
record InMemoryKafkaWorkerContextCustomizer(Class<?> testClass, int partitions) implements ContextCustomizer {

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
		InMemoryKafkaSetup.apply(context, this.partitions, Map.of(), false);
	}

}
