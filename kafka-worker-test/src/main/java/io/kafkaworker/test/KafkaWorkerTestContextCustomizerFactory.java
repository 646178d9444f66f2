package io.kafkaworker.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds the context customizer of the Kafka a test class chose: the
 * {@link EmbeddedKafkaWorkerContextCustomizer} for {@link EmbeddedKafkaWorkerTest}, the
 * {@link InMemoryKafkaWorkerContextCustomizer} for {@link InMemoryKafkaWorkerTest} and
 * the {@link ConnectedKafkaWorkerContextCustomizer} for {@link ConnectedKafkaWorkerTest}
 * (also on an enclosing class of a {@code @Nested} class). Registered in
 * {@code META-INF/spring.factories}.
 */
class KafkaWorkerTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		InMemoryKafkaWorkerTest inMemory = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				InMemoryKafkaWorkerTest.class);
		EmbeddedKafkaWorkerTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmbeddedKafkaWorkerTest.class);
		ConnectedKafkaWorkerTest connected = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				ConnectedKafkaWorkerTest.class);
		int chosen = ((inMemory != null) ? 1 : 0) + ((annotation != null) ? 1 : 0) + ((connected != null) ? 1 : 0);
		if (chosen > 1) {
			throw new IllegalArgumentException(testClass.getName() + " has more than one of @InMemoryKafkaWorkerTest, "
					+ "@EmbeddedKafkaWorkerTest and @ConnectedKafkaWorkerTest: choose one Kafka for the test");
		}
		if (connected != null) {
			return new ConnectedKafkaWorkerContextCustomizer(topics(testClass, connected.topics()));
		}
		if (inMemory != null) {
			if (inMemory.partitions() < 1) {
				throw new IllegalArgumentException("@InMemoryKafkaWorkerTest on " + testClass.getName()
						+ ": partitions must be at least 1, not " + inMemory.partitions());
			}
			return new InMemoryKafkaWorkerContextCustomizer(testClass, inMemory.partitions());
		}
		if (annotation == null) {
			return null;
		}
		return new EmbeddedKafkaWorkerContextCustomizer(topics(testClass, annotation.topics()));
	}

	private static Map<String, Integer> topics(Class<?> testClass, EmbeddedKafkaWorkerTest.Topic[] declared) {
		Map<String, Integer> topics = new LinkedHashMap<>();
		for (EmbeddedKafkaWorkerTest.Topic topic : declared) {
			if (topic.partitions() < 1) {
				throw new IllegalArgumentException("The topics of " + testClass.getName() + ": topic '" + topic.name()
						+ "' needs at least 1 partition, not " + topic.partitions());
			}
			Integer previous = topics.put(topic.name(), topic.partitions());
			if (previous != null && previous != topic.partitions()) {
				throw new IllegalArgumentException("The topics of " + testClass.getName() + ": topic '" + topic.name()
						+ "' is declared twice, with " + previous + " and " + topic.partitions() + " partitions");
			}
		}
		return topics;
	}

}
