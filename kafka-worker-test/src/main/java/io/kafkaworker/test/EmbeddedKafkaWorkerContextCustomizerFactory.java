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
 * Adds the {@link EmbeddedKafkaWorkerContextCustomizer} to the contexts of test classes
 * annotated with {@link EmbeddedKafkaWorkerTest}, and the
 * {@link InMemoryKafkaWorkerContextCustomizer} to those annotated with
 * {@link InMemoryKafkaWorkerTest} (also on an enclosing class of a {@code @Nested}
 * class). Registered in {@code META-INF/spring.factories}.
 */
class EmbeddedKafkaWorkerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		InMemoryKafkaWorkerTest inMemory = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				InMemoryKafkaWorkerTest.class);
		EmbeddedKafkaWorkerTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				EmbeddedKafkaWorkerTest.class);
		if (inMemory != null && annotation != null) {
			throw new IllegalArgumentException(testClass.getName() + " is annotated with both @InMemoryKafkaWorkerTest "
					+ "and @EmbeddedKafkaWorkerTest: choose the in-memory Kafka or the broker");
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
		Map<String, Integer> topics = new LinkedHashMap<>();
		for (EmbeddedKafkaWorkerTest.Topic topic : annotation.topics()) {
			if (topic.partitions() < 1) {
				throw new IllegalArgumentException("@EmbeddedKafkaWorkerTest on " + testClass.getName() + ": topic '"
						+ topic.name() + "' needs at least 1 partition, not " + topic.partitions());
			}
			Integer previous = topics.put(topic.name(), topic.partitions());
			if (previous != null && previous != topic.partitions()) {
				throw new IllegalArgumentException("@EmbeddedKafkaWorkerTest on " + testClass.getName() + ": topic '"
						+ topic.name() + "' is declared twice, with " + previous + " and " + topic.partitions()
						+ " partitions");
			}
		}
		return new EmbeddedKafkaWorkerContextCustomizer(topics);
	}

}
