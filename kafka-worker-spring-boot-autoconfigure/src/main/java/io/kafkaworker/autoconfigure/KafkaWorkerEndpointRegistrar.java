package io.kafkaworker.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import io.kafkaworker.annotation.KafkaBatchWorkerAnnotationBeanPostProcessor;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.container.ShareWorkerContainerFactory;
import io.kafkaworker.container.Worker;
import io.kafkaworker.container.WorkerEndpoint;
import io.kafkaworker.container.WorkerServices;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.runtime.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistrar;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Registers one listener endpoint per {@code @KafkaBatchWorker} method with Spring
 * Kafka's registrar. Spring Kafka calls every {@link KafkaListenerConfigurer} once all
 * singletons exist, so every annotated bean has been seen by then.
 */
public class KafkaWorkerEndpointRegistrar implements KafkaListenerConfigurer, DisposableBean {

	private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

	/**
	 * Records per poll of a Kafka-transactions worker by default: a transaction's first
	 * poll, and all of it when handlers are slow.
	 */
	private static final int DEFAULT_TRANSACTION_RECORDS = 2000;

	private static final Log logger = LogFactory.getLog(KafkaWorkerEndpointRegistrar.class);

	private final KafkaBatchWorkerAnnotationBeanPostProcessor methods;

	private final WorkerSettingsResolver resolver;

	private final KafkaWorkerProperties properties;

	private final ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory;

	private final WorkerServices services;

	private final PoisonPillDeserializers deserializers;

	private final ConsumerProtocolSupport consumerProtocol = new ConsumerProtocolSupport();

	// Made on first use, so that applications without share-group workers build none.
	private final Supplier<ShareWorkerContainerFactory> shareContainerFactory;

	KafkaWorkerEndpointRegistrar(KafkaBatchWorkerAnnotationBeanPostProcessor methods, WorkerSettingsResolver resolver,
			KafkaWorkerProperties properties, ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory,
			WorkerServices services, Supplier<ShareWorkerContainerFactory> shareContainerFactory) {
		this.shareContainerFactory = SingletonSupplier.of(shareContainerFactory);
		this.methods = methods;
		this.resolver = resolver;
		this.properties = properties;
		this.containerFactory = containerFactory;
		this.services = services;
		this.deserializers = new PoisonPillDeserializers(containerFactory.getConsumerFactory());
	}

	@Override
	public void configureKafkaListeners(KafkaListenerEndpointRegistrar registrar) {
		Map<String, WorkerMethod> byId = new HashMap<>();
		for (WorkerMethod method : this.methods.getWorkerMethods()) {
			WorkerSettings settings = this.resolver.resolve(method);
			Properties consumerProperties = this.deserializers.overrides();
			consumerProperties.putAll(this.resolver.consumerProperties(settings, method));
			@Nullable Duration maxPollInterval = null;
			String rebalancing = "share group";
			if (!settings.shareGroup()) {
				maxPollInterval = checkPollInterval(settings, method, consumerProperties);
				rebalancing = defaultRebalancing(settings, method, consumerProperties);
				defaultTransactionSize(settings, consumerProperties);
			}
			WorkerMethod previous = byId.putIfAbsent(settings.id(), method);
			if (previous != null) {
				throw new KafkaWorkerConfigurationException(
						"Two @KafkaBatchWorker methods have the id '" + settings.id() + "': " + previous.description()
								+ " and " + method.description() + ".",
						"Give each worker a distinct id with @KafkaBatchWorker(id = ...).");
			}
			WorkerEndpoint endpoint = new WorkerEndpoint(settings, method, this.services, consumerProperties,
					maxPollInterval);
			if (settings.shareGroup()) {
				registrar.registerEndpoint(endpoint, this.shareContainerFactory.get());
			}
			else {
				registrar.registerEndpoint(endpoint, this.containerFactory);
			}
			logger.info("Registered Kafka worker '" + settings.id() + "' for " + method.description() + ": topics "
					+ settings.topics() + ", " + (settings.shareGroup() ? "share group '" : "group '")
					+ settings.groupId() + "', mode " + settings.mode() + ", delivery " + settings.delivery()
					+ ", concurrency " + settings.concurrency() + ", consumers " + settings.consumers()
					+ ", rebalancing: " + rebalancing);
		}
		warnAboutUnknownWorkers(byId.keySet());
		warnAboutAutoCommit(byId.keySet());
	}

	// Kafka's default, the classic protocol with assignors that start with the eager
	// RangeAssignor, revokes every partition of every member at each rebalance, and each
	// member's buffered records are fetched again by the next owner. So the engine
	// chooses: the consumer protocol of KIP-848 where the broker offers it (incremental,
	// and commits go on while the group reconciles, where a classic rebalance refuses
	// them until its slowest member rejoins), else the classic protocol with the
	// cooperative sticky assignor, which moves only the partitions that change owner.
	// Left alone when the application chose an assignor or a protocol, and for readers
	// (no group) and group-table workers of several topics (their tables need
	// RangeAssignor's co-partitioned assignment). Settings that only the classic protocol
	// accepts (session.timeout.ms, heartbeat.interval.ms: the consumer protocol's are the
	// broker's) keep it classic.
	private String defaultRebalancing(WorkerSettings settings, WorkerMethod method, Properties consumerProperties) {
		if (settings.reader() != null || (method.hasTableRow() && settings.topics().size() > 1)) {
			return "Kafka's default";
		}
		for (String name : List.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
				ConsumerConfig.GROUP_PROTOCOL_CONFIG)) {
			Object configured = consumerSetting(consumerProperties, name);
			if (configured != null) {
				return name + "=" + configured;
			}
		}
		boolean classicOnly = consumerSetting(consumerProperties, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG) != null
				|| consumerSetting(consumerProperties, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG) != null;
		if (!classicOnly && this.consumerProtocol.offeredBy(consumerConfiguration(consumerProperties))) {
			consumerProperties.setProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
			return "consumer protocol (KIP-848)";
		}
		consumerProperties.setProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
				CooperativeStickyAssignor.class.getName());
		return "classic protocol, cooperative-sticky";
	}

	// A Kafka-transactions worker commits one transaction per unit, which begins with a
	// poll, whose fixed cost (AddOffsetsToTxn, TxnOffsetCommit, EndTxn, then a fetch of
	// the paused partitions) is paid per unit; when units were one poll, Kafka's 500
	// records per poll paced a KEY worker to 0.35 of at-least-once with the same sends,
	// 2,000 to 0.46-0.49 (benchmarks/README, "Exactly-once cost"). Left alone when the
	// application or the worker set it.
	private void defaultTransactionSize(WorkerSettings settings, Properties consumerProperties) {
		if (settings.kafkaTransactions()
				&& consumerSetting(consumerProperties, ConsumerConfig.MAX_POLL_RECORDS_CONFIG) == null) {
			consumerProperties.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
					String.valueOf(DEFAULT_TRANSACTION_RECORDS));
		}
	}

	// What a worker's consumers are configured with: the application's consumer factory
	// (spring.kafka.consumer.*) under the worker's own consumer properties.
	private Map<String, Object> consumerConfiguration(Properties consumerProperties) {
		Map<String, Object> configuration = new HashMap<>();
		ConsumerFactory<?, ?> consumerFactory = this.containerFactory.getConsumerFactory();
		if (consumerFactory != null) {
			configuration.putAll(consumerFactory.getConfigurationProperties());
		}
		consumerProperties.forEach((name, value) -> configuration.put(name.toString(), value));
		return configuration;
	}

	// A Kafka consumer setting of a worker: its own consumer properties, else the
	// application's consumer factory (spring.kafka.consumer.*).
	private @Nullable Object consumerSetting(Properties consumerProperties, String name) {
		Object value = consumerProperties.getProperty(name);
		ConsumerFactory<?, ?> consumerFactory = this.containerFactory.getConsumerFactory();
		if (value == null && consumerFactory != null) {
			value = consumerFactory.getConfigurationProperties().get(name);
		}
		return value;
	}

	// A revocation blocks the consumer thread inside poll() for up to the revoke timeout
	// plus one commit; longer than {@code max.poll.interval.ms} and the group would evict
	// the consumer in the middle of its own rebalance.
	private Duration checkPollInterval(WorkerSettings settings, WorkerMethod method, Properties consumerProperties) {
		String source = this.resolver.consumerPropertySource(settings.id(), ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
		Object configured = consumerSetting(consumerProperties, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
		if (!consumerProperties.containsKey(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)) {
			source = "spring.kafka.consumer.properties.max.poll.interval.ms";
		}
		long maxPollIntervalMs = DEFAULT_MAX_POLL_INTERVAL_MS;
		if (configured != null) {
			try {
				maxPollIntervalMs = Long.parseLong(configured.toString().trim());
			}
			catch (NumberFormatException ex) {
				throw new KafkaWorkerConfigurationException(
						"Worker '" + settings.id() + "' (" + method.description() + "): max.poll.interval.ms '"
								+ configured + "' from " + source + " is not a number of " + "milliseconds.",
						"Set " + source + " to a number of milliseconds.");
			}
		}
		Duration maxPollInterval = Duration.ofMillis(maxPollIntervalMs);
		Duration blocking = settings.revokeTimeout().plus(settings.commitTimeout());
		if (blocking.compareTo(maxPollInterval) >= 0) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + settings.id() + "' (" + method.description()
							+ ") may block its consumer thread for revoke-timeout + commit-timeout = "
							+ DurationFormatterUtils.print(blocking, DurationFormat.Style.COMPOSITE)
							+ " during a rebalance, not less than max.poll.interval.ms = "
							+ DurationFormatterUtils.print(maxPollInterval, DurationFormat.Style.COMPOSITE) + ".",
					"Lower kafka.worker.workers." + settings.id() + ".revoke-timeout or commit-timeout, or raise "
							+ ((configured != null) ? source : "spring.kafka.consumer.properties.max.poll.interval.ms")
							+ ".");
		}
		return maxPollInterval;
	}

	/**
	 * Close every worker's lanes and executor, the scheduler of delayed retries and the
	 * dead-letter producer. The listener containers stopped before, in the lifecycle
	 * phase, so no record is dispatched any more.
	 */
	@Override
	public void destroy() {
		for (WorkerView view : this.services.registry().all()) {
			if (view instanceof Worker worker) {
				worker.close();
			}
		}
		// The auto-configuration's own scheduler, not a bean: nothing else shuts it down.
		if (this.services.taskScheduler() instanceof OwnTaskScheduler scheduler) {
			scheduler.shutdown();
		}
		DeadLetterTemplates.close(this.services.deadLetterTemplate());
	}

	private void warnAboutUnknownWorkers(Set<String> ids) {
		Set<String> unknown = new LinkedHashSet<>(this.properties.getWorkers().keySet());
		unknown.removeAll(ids);
		if (!unknown.isEmpty()) {
			logger.warn("kafka.worker.workers has settings for " + unknown
					+ ", but no @KafkaBatchWorker has such an id; known ids: " + ids);
		}
	}

	private void warnAboutAutoCommit(Set<String> ids) {
		ConsumerFactory<?, ?> consumerFactory = this.containerFactory.getConsumerFactory();
		Object autoCommit = (consumerFactory != null)
				? consumerFactory.getConfigurationProperties().get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG) : null;
		if (!ids.isEmpty() && autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
			logger.warn("spring.kafka.consumer.enable-auto-commit is true; Kafka workers " + ids
					+ " commit offsets themselves and run with enable.auto.commit=false");
		}
	}

}
