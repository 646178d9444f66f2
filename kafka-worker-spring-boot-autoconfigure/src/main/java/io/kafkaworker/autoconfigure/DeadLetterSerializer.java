package io.kafkaworker.autoconfigure;

import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;

/**
 * Serializes the key or value of a dead letter: a byte array as it is (the original bytes
 * of a record that could not be deserialized), anything else with the application's own
 * serializer from {@code spring.kafka.producer.*}.
 */
final class DeadLetterSerializer implements Serializer<Object> {

	private @Nullable Serializer<Object> delegate;

	DeadLetterSerializer(@Nullable Serializer<Object> delegate) {
		this.delegate = delegate;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void configure(Map<String, ?> configs, boolean isKey) {
		if (this.delegate == null) {
			Object configured = configs.get(isKey ? "key.serializer" : "value.serializer");
			if (configured != null) {
				Class<?> type = (configured instanceof Class<?> cls) ? cls
						: ClassUtils.resolveClassName(configured.toString(), getClass().getClassLoader());
				this.delegate = (Serializer<Object>) BeanUtils.instantiateClass(type);
			}
		}
		if (this.delegate != null) {
			this.delegate.configure(configs, isKey);
		}
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable Object data) {
		return serialize(topic, null, data);
	}

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable Headers headers, @Nullable Object data) {
		if (data == null || data instanceof byte[]) {
			return (byte[]) data;
		}
		if (this.delegate == null) {
			throw new IllegalStateException("No serializer configured for dead letters of type " + data.getClass());
		}
		return (headers != null) ? this.delegate.serialize(topic, headers, data) : this.delegate.serialize(topic, data);
	}

	@Override
	public void close() {
		if (this.delegate != null) {
			this.delegate.close();
		}
	}

}
