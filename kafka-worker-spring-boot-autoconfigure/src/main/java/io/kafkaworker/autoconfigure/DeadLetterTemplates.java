package io.kafkaworker.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.util.StringUtils;

/**
 * Builds the template that publishes dead letters from Spring Boot's producer factory:
 * the same connection and {@code spring.kafka.producer.*} settings, with serializers that
 * also pass the original bytes of undeserializable records through.
 */
final class DeadLetterTemplates {

	private DeadLetterTemplates() {
	}

	@SuppressWarnings("unchecked")
	static @Nullable KafkaTemplate<Object, Object> from(@Nullable ProducerFactory<?, ?> producerFactory) {
		if (producerFactory == null) {
			return null;
		}
		if (!(producerFactory instanceof DefaultKafkaProducerFactory<?, ?> source)) {
			return new KafkaTemplate<>((ProducerFactory<Object, Object>) producerFactory);
		}
		Map<String, Object> configs = new HashMap<>(source.getConfigurationProperties());
		configs.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		Supplier<? extends @Nullable Serializer<?>> keys = source.getKeySerializerSupplier();
		Supplier<? extends @Nullable Serializer<?>> values = source.getValueSerializerSupplier();
		DefaultKafkaProducerFactory<Object, Object> factory = new OwnProducerFactory(configs,
				() -> new DeadLetterSerializer((keys != null) ? (Serializer<Object>) keys.get() : null),
				() -> new DeadLetterSerializer((values != null) ? (Serializer<Object>) values.get() : null));
		String prefix = source.getTransactionIdPrefix();
		if (StringUtils.hasText(prefix)) {
			// Transactional ids must not collide with the application's own producers.
			factory.setTransactionIdPrefix(prefix + "kafka-worker-dlt-");
		}
		return new KafkaTemplate<>(factory);
	}

	/**
	 * Close the producer of a template this class built; templates over the application's
	 * own producer factory are left alone.
	 * @param template the template, or null
	 */
	static void close(@Nullable KafkaOperations<?, ?> template) {
		if (template instanceof KafkaTemplate<?, ?> kafkaTemplate
				&& kafkaTemplate.getProducerFactory() instanceof OwnProducerFactory factory) {
			factory.destroy();
		}
	}

	// The dead-letter producer factory is not a bean (a second ProducerFactory bean would
	// change which one Boot's KafkaTemplate uses), so nothing else closes it.
	private static final class OwnProducerFactory extends DefaultKafkaProducerFactory<Object, Object> {

		// javac 17 and 25 read the nullness of the super constructor's type arguments
		// differently, so NullAway accepts no single declaration on both.
		@SuppressWarnings("NullAway")
		OwnProducerFactory(Map<String, Object> configs, Supplier<Serializer<Object>> keys,
				Supplier<Serializer<Object>> values) {
			super(configs, keys, values, true);
		}

	}

}
