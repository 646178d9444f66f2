package io.kafkaworker.container;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.WorkerMethod;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;
import org.springframework.kafka.listener.CompositeBatchInterceptor;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.BatchMessageConverter;
import org.springframework.kafka.support.converter.MessageConverter;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * The listener endpoint of one worker, registered with Spring Kafka's registrar so that
 * its container lives in the {@code KafkaListenerEndpointRegistry} with every other
 * listener container: same lifecycle, same phase, found by id.
 *
 * <p>
 * When the container factory builds the container, the endpoint creates the worker's
 * engine and installs its listener. Its container post-processor runs last, after the
 * factory's settings and customizers, and sets what the engine depends on: manual
 * acknowledgment with no acknowledgments (the engine commits itself), no async acks, no
 * listener transactions, the poll-cycle hook and the rebalance listener.
 */
public final class WorkerEndpoint implements KafkaListenerEndpoint {

	private final WorkerSettings settings;

	private final WorkerMethod method;

	private final WorkerServices services;

	private final Properties consumerOverrides;

	private final @Nullable Duration maxPollInterval;

	private @Nullable Worker worker;

	private TopicPartitionOffset @Nullable [] readerAssignment;

	/**
	 * Create the endpoint of one worker.
	 * @param settings the resolved settings
	 * @param method the user's method
	 * @param services the application's shared infrastructure
	 * @param consumerOverrides consumer properties that replace the consumer factory's
	 * for this worker (deserializer wrapping, for example)
	 * @param maxPollInterval the consumers' {@code max.poll.interval.ms}, or null for a
	 * share-group worker
	 */
	public WorkerEndpoint(WorkerSettings settings, WorkerMethod method, WorkerServices services,
			Properties consumerOverrides, @Nullable Duration maxPollInterval) {
		this.settings = settings;
		this.method = method;
		this.services = services;
		this.consumerOverrides = consumerOverrides;
		this.maxPollInterval = maxPollInterval;
	}

	/**
	 * Return the worker's settings.
	 * @return the settings
	 */
	public WorkerSettings getSettings() {
		return this.settings;
	}

	@Override
	public String getId() {
		return this.settings.id();
	}

	@Override
	public String getGroupId() {
		return this.settings.groupId();
	}

	@Override
	public @Nullable String getGroup() {
		return null;
	}

	@Override
	public TopicPartitionOffset @Nullable [] getTopicPartitionsToAssign() {
		ReaderSettings reader = this.settings.reader();
		return (reader != null)
				? ReaderAssignment.of(this.settings.id(), this.settings.topics(), reader, this.services.admin()) : null;
	}

	@Override
	public Collection<String> getTopics() {
		// An explicit assignment replaces the subscription.
		return (this.settings.reader() != null) ? List.of() : this.settings.topics();
	}

	@Override
	public @Nullable Pattern getTopicPattern() {
		return null;
	}

	@Override
	public String getClientIdPrefix() {
		return this.settings.id();
	}

	@Override
	public Integer getConcurrency() {
		return this.settings.consumers();
	}

	@Override
	public Boolean getAutoStartup() {
		return this.settings.autoStartup();
	}

	@Override
	public Properties getConsumerProperties() {
		Properties properties = new Properties();
		properties.putAll(this.consumerOverrides);
		// The engine commits; auto-commit would commit positions past unfinished records.
		properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		if (this.settings.delivery() == Delivery.EXACTLY_ONCE) {
			// Input written by transactional producers counts only once committed.
			properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		}
		return properties;
	}

	// What the worker's consumers are configured with over the application's settings.
	Properties consumerOverrides() {
		Properties properties = new Properties();
		properties.putAll(this.consumerOverrides);
		return properties;
	}

	@Override
	public Boolean getBatchListener() {
		return Boolean.TRUE;
	}

	@Override
	public String getAckMode() {
		return ContainerProperties.AckMode.MANUAL.name();
	}

	@Override
	public boolean isSplitIterables() {
		return false;
	}

	@Override
	public void setupListenerContainer(MessageListenerContainer listenerContainer,
			@Nullable MessageConverter messageConverter) {
		Worker created = new Worker(this.settings, this.method, recordConverter(messageConverter), this.services,
				this.maxPollInterval);
		this.services.registry().register(created);
		this.worker = created;
		listenerContainer.setupMessageListener(new DispatchingBatchListener(created));
	}

	@Override
	public ContainerPostProcessor<?, ?, ?> getContainerPostProcessor() {
		ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> postProcessor = this::configure;
		return postProcessor;
	}

	private void configure(AbstractMessageListenerContainer<Object, Object> container) {
		Worker current = this.worker;
		if (current == null) {
			throw new IllegalStateException("Worker '" + this.settings.id() + "' has no engine; "
					+ "setupListenerContainer must run before the container post-processor");
		}
		ContainerProperties properties = container.getContainerProperties();
		properties.setAckMode(ContainerProperties.AckMode.MANUAL);
		properties.setAsyncAcks(false);
		properties.setKafkaAwareTransactionManager(null);
		properties.setTransactionManager(null);
		properties.setSubBatchPerPartition(false);
		// The worker commits the position of partitions with nothing committed itself, on
		// assignment, in a way that survives a lane thread's wake-up
		// (OffsetCommitter.resume).
		properties.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
		properties.setDeliveryAttemptHeader(false);
		// Our own metrics measure handler calls; the container's timer would time
		// dispatch.
		properties.setMicrometerEnabled(false);
		// The periodic duties run before each poll: poll at least once per commit
		// interval.
		properties.setPollTimeout(Math.min(properties.getPollTimeout(), this.settings.commitInterval().toMillis()));
		long stopBudget = this.settings.revokeTimeout().plus(this.settings.commitTimeout()).toMillis();
		properties.setShutdownTimeout(Math.max(properties.getShutdownTimeout(), stopBudget));
		properties.setConsumerRebalanceListener(
				new WorkerRebalanceListener(current, properties.getConsumerRebalanceListener()));
		container.setBatchInterceptor(withHook(container.getBatchInterceptor(), new PollCycleHook(current)));
		// Our listener never throws; if it does, that is a bug, and stopping the
		// container
		// is the only answer that cannot commit past an unfinished record.
		container.setCommonErrorHandler(new CommonContainerStoppingErrorHandler());
		current.attach(container);
	}

	private static BatchInterceptor<Object, Object> withHook(@Nullable BatchInterceptor<Object, Object> existing,
			PollCycleHook hook) {
		return (existing != null) ? new CompositeBatchInterceptor<>(hook, existing) : hook;
	}

	private static @Nullable RecordMessageConverter recordConverter(@Nullable MessageConverter converter) {
		if (converter instanceof BatchMessageConverter batch) {
			return batch.getRecordMessageConverter();
		}
		return (converter instanceof RecordMessageConverter record) ? record : null;
	}

	@Override
	public String toString() {
		return "WorkerEndpoint[" + this.settings.id() + " " + this.method.description() + "]";
	}

}
