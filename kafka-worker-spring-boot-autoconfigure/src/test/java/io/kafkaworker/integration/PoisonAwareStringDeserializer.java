package io.kafkaworker.integration;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A string deserializer that cannot read values starting with {@code poison}: the poison
 * pills of the failure tests.
 */
public class PoisonAwareStringDeserializer extends StringDeserializer {

	@Override
	public String deserialize(String topic, byte[] data) {
		String value = super.deserialize(topic, data);
		if (value != null && value.startsWith("poison")) {
			throw new SerializationException("Cannot deserialize '" + value + "'");
		}
		return value;
	}

}
