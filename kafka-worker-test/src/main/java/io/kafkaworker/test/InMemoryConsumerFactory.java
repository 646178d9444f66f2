package io.kafkaworker.test;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.ConsumerFactory;

/**
 * Makes {@link InMemoryConsumer}s for the listener containers of the workers, in the
 * group each container asks for. {@code max.poll.records} and {@code auto.offset.reset}
 * come from a worker's consumer properties, then from the factory's defaults (Spring
 * Boot's {@code spring.kafka.consumer.*}), then from Kafka's defaults.
 */
final class InMemoryConsumerFactory implements ConsumerFactory<Object, Object> {

	private static final int KAFKA_MAX_POLL_RECORDS = 500;

	private final InMemoryKafka kafka;

	private final Map<String, Object> configs;

	InMemoryConsumerFactory(InMemoryKafka kafka, Map<String, Object> configs) {
		this.kafka = kafka;
		this.configs = Map.copyOf(configs);
	}

	@Override
	public Consumer<Object, Object> createConsumer(@Nullable String groupId, @Nullable String clientIdPrefix,
			@Nullable String clientIdSuffix, @Nullable Properties properties) {
		String group = (groupId != null) ? groupId : setting(ConsumerConfig.GROUP_ID_CONFIG, properties);
		// Without a group, the consumer can only be assigned partitions (table readers).
		group = (group != null) ? group : "";
		String maxPollRecords = setting(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties);
		String reset = setting(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, properties);
		return new InMemoryConsumer(this.kafka, group,
				(maxPollRecords != null) ? Integer.parseInt(maxPollRecords) : KAFKA_MAX_POLL_RECORDS,
				"latest".equalsIgnoreCase(reset));
	}

	private @Nullable String setting(String name, @Nullable Properties properties) {
		Object value = (properties != null) ? properties.get(name) : null;
		if (value == null) {
			value = this.configs.get(name);
		}
		return (value != null) ? value.toString() : null;
	}

	@Override
	public Map<String, Object> getConfigurationProperties() {
		return this.configs;
	}

	@Override
	public boolean isAutoCommit() {
		return false;
	}

}
