package io.kafkaworker.samples.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Kafka's admin, consumer and producer clients, configured as Spring Boot configured its
 * {@link KafkaAdmin}, {@link ConsumerFactory} and {@link ProducerFactory} from
 * {@code spring.kafka.*}: one connection configuration, with only what a command-line
 * tool needs on top (byte-array (de)serializers, no consumer group, the
 * {@code --timeout}).
 */
public class KafkaClients implements DisposableBean {

	private final KafkaAdmin kafkaAdmin;

	private final ConsumerFactory<?, ?> consumerFactory;

	private final ProducerFactory<?, ?> producerFactory;

	private final Duration timeout;

	private @Nullable Admin admin;

	KafkaClients(KafkaAdmin kafkaAdmin, ConsumerFactory<?, ?> consumerFactory, ProducerFactory<?, ?> producerFactory,
			ConnectionOptions options) {
		this.kafkaAdmin = kafkaAdmin;
		this.consumerFactory = consumerFactory;
		this.producerFactory = producerFactory;
		this.timeout = options.timeout();
	}

	/**
	 * Return the admin client, created on first use and closed with the context. Each
	 * request gives up after the timeout.
	 * @return the admin client
	 */
	public synchronized Admin admin() {
		if (this.admin == null) {
			Map<String, Object> config = new HashMap<>(this.kafkaAdmin.getConfigurationProperties());
			config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis());
			config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
			this.admin = Admin.create(config);
		}
		return this.admin;
	}

	/**
	 * Create a consumer of raw records that belongs to no group: the caller assigns its
	 * partitions, and closes it.
	 * @return the consumer
	 */
	public Consumer<byte[], byte[]> consumer() {
		Map<String, Object> config = new HashMap<>(this.consumerFactory.getConfigurationProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis());
		config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis());
		return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	/**
	 * Create a producer of raw records, which waits up to the timeout for the topic's
	 * metadata; the caller closes it.
	 * @return the producer
	 */
	public Producer<byte[], byte[]> producer() {
		Map<String, Object> config = new HashMap<>(this.producerFactory.getConfigurationProperties());
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis());
		return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
	}

	/**
	 * Fail unless a topic exists. The consumer and producer would wait for its metadata
	 * until the timeout instead, or a broker that creates topics on first use would
	 * create it.
	 * @param topic the topic
	 */
	public void requireTopic(String topic) {
		await(admin().describeTopics(List.of(topic)).allTopicNames(), "find topic '" + topic + "'");
	}

	/**
	 * Wait up to the timeout for an admin client's answer, or a producer's
	 * acknowledgment.
	 * @param <T> the answer's type
	 * @param future the answer
	 * @param what what was asked, to complete "Could not ...", naming the topic or group
	 * @return the answer
	 * @throws CliException if the answer is an error, or did not come in time
	 */
	public <T> T await(Future<T> future, String what) {
		try {
			return future.get(timeoutMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException("Interrupted while waiting to " + what, ex);
		}
		catch (TimeoutException ex) {
			throw unreachable(what, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
				throw unreachable(what, cause);
			}
			if (cause instanceof UnknownTopicOrPartitionException) {
				throw new CliException("Could not " + what + ": no such topic", cause);
			}
			throw new CliException("Could not " + what + ": " + cause.getMessage(), cause);
		}
	}

	/**
	 * Return the failure of a request that got no answer from Kafka in time.
	 * @param what what was asked, to complete "Could not ..."
	 * @param cause the timeout
	 * @return the exception to throw
	 */
	public CliException unreachable(String what, Throwable cause) {
		return new CliException("Could not " + what + ": no answer from Kafka at " + bootstrapServers() + " within "
				+ this.timeout.toMillis() + " ms", cause);
	}

	/**
	 * Return the brokers the clients connect to.
	 * @return {@code spring.kafka.bootstrap-servers}, as the admin client has it
	 */
	public String bootstrapServers() {
		Object servers = this.kafkaAdmin.getConfigurationProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		return (servers instanceof List<?> list) ? String.join(",", list.stream().map(String::valueOf).toList())
				: String.valueOf(servers);
	}

	/**
	 * Return how long to wait for Kafka.
	 * @return the {@code --timeout}
	 */
	public Duration timeout() {
		return this.timeout;
	}

	private int timeoutMillis() {
		return (int) Math.min(Integer.MAX_VALUE, this.timeout.toMillis());
	}

	@Override
	public synchronized void destroy() {
		if (this.admin != null) {
			this.admin.close(Duration.ZERO);
		}
	}

}
