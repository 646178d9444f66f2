package io.kafkaworker.chaos.worker;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A UTF-8 string deserializer that refuses poison pills: values starting with
 * {@code POISON}. The worker wraps it in Spring Kafka's {@code ErrorHandlingDeserializer},
 * so a poison pill fails as a non-retryable deserialization failure.
 */
public class ChaosValueDeserializer implements Deserializer<String> {

	@Override
	public String deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		String value = new String(data, StandardCharsets.UTF_8);
		if (value.startsWith("POISON")) {
			throw new SerializationException("chaos: poison pill in " + topic);
		}
		return value;
	}

}
