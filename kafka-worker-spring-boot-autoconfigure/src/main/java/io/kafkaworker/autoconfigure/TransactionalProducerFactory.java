package io.kafkaworker.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.kafkaworker.transaction.TransactionalProducers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.util.StringUtils;

/**
 * Builds the transactional producers of exactly-once workers from the application's
 * {@link ProducerFactory} (Boot's {@code spring.kafka.producer.*}): same configuration
 * and serializers, plus a transactional id per consumer.
 *
 * <p>
 * The producers are created directly rather than through the factory, because each
 * consumer needs a transactional id of its own that stays the same across restarts, while
 * a factory's transactional producers take ids from a pool.
 */
final class TransactionalProducerFactory {

	private TransactionalProducerFactory() {
	}

	@SuppressWarnings("unchecked")
	static @Nullable TransactionalProducers from(@Nullable ProducerFactory<?, ?> producerFactory, String prefix) {
		if (producerFactory == null) {
			return null;
		}
		if (producerFactory instanceof MockProducerFactory<?, ?> mock) {
			// Spring Kafka's factory of MockProducers, in tests (kafka-worker-test's
			// in-memory Kafka): it has no configuration to build a KafkaProducer from,
			// and
			// makes a transactional producer for the id it is given.
			return new TransactionalProducers(prefix,
					(transactionalId) -> (Producer<Object, Object>) mock.createProducer(transactionalId));
		}
		Map<String, Object> configs = new HashMap<>(producerFactory.getConfigurationProperties());
		configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		configs.put(ProducerConfig.ACKS_CONFIG, "all");
		Supplier<? extends @Nullable Serializer<?>> keys = producerFactory.getKeySerializerSupplier();
		Supplier<? extends @Nullable Serializer<?>> values = producerFactory.getValueSerializerSupplier();
		return new TransactionalProducers(prefix, (transactionalId) -> {
			Map<String, Object> producerConfigs = new HashMap<>(configs);
			producerConfigs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
			producerConfigs.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
			// Dead letters of undeserializable records carry their original bytes.
			Serializer<Object> key = new DeadLetterSerializer((keys != null) ? (Serializer<Object>) keys.get() : null);
			Serializer<Object> value = new DeadLetterSerializer(
					(values != null) ? (Serializer<Object>) values.get() : null);
			key.configure(producerConfigs, true);
			value.configure(producerConfigs, false);
			Producer<Object, Object> producer = new KafkaProducer<>(producerConfigs, key, value);
			return producer;
		});
	}

	/**
	 * Return the transactional-id prefix of this application instance.
	 * @param configured kafka.worker.exactly-once.transactional-id-prefix, or null
	 * @param environment the environment
	 * @return the prefix
	 */
	static String prefix(@Nullable String configured, Environment environment) {
		if (StringUtils.hasText(configured)) {
			return configured;
		}
		String springPrefix = environment.getProperty("spring.kafka.producer.transaction-id-prefix");
		if (StringUtils.hasText(springPrefix)) {
			return springPrefix;
		}
		// Unique per instance: two processes on one host differ by process id; in a
		// container the host name is the pod's and the process id is stable.
		return environment.getProperty("spring.application.name", "kafka-worker") + "-" + hostName() + "-"
				+ ManagementFactory.getRuntimeMXBean().getPid() + "-";
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
