package io.kafkaworker.autoconfigure;

import java.util.Map;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Wraps the configured key and value deserializers in Spring Kafka's
 * {@link ErrorHandlingDeserializer} for workers, so a record that cannot be deserialized
 * reaches the worker as a failure of that record (non-retryable, handled by the failure
 * policy) instead of making the consumer's poll throw forever.
 */
final class PoisonPillDeserializers {

	private static final Log logger = LogFactory.getLog(PoisonPillDeserializers.class);

	private final Properties overrides = new Properties();

	PoisonPillDeserializers(@Nullable ConsumerFactory<?, ?> consumerFactory) {
		if (consumerFactory == null) {
			return;
		}
		if (consumerFactory instanceof DefaultKafkaConsumerFactory<?, ?> factory
				&& (factory.getKeyDeserializer() != null || factory.getValueDeserializer() != null)) {
			logger.info("The consumer factory has deserializer instances; workers use them as they are. Wrap them "
					+ "in ErrorHandlingDeserializer so that records that cannot be deserialized become failures");
			return;
		}
		Map<String, Object> configs = consumerFactory.getConfigurationProperties();
		wrap(configs.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS);
		wrap(configs.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG),
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS);
	}

	/**
	 * Return the consumer properties that install the wrapping.
	 * @return the properties, empty if nothing needs wrapping
	 */
	Properties overrides() {
		Properties copy = new Properties();
		copy.putAll(this.overrides);
		return copy;
	}

	private void wrap(@Nullable Object configured, String property, String delegateProperty) {
		if (configured == null) {
			return;
		}
		String name = (configured instanceof Class<?> type) ? type.getName() : configured.toString();
		if (name.equals(ErrorHandlingDeserializer.class.getName())) {
			return;
		}
		this.overrides.setProperty(property, ErrorHandlingDeserializer.class.getName());
		this.overrides.setProperty(delegateProperty, name);
	}

}
