package io.kafkaworker.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;

import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaBatchWorkerAnnotationBeanPostProcessor;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.container.InvocationDecorator;
import io.kafkaworker.container.ShareConsumers;
import io.kafkaworker.container.ShareWorkerContainerFactory;
import io.kafkaworker.container.WorkerServices;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.container.WorkersShutdown;
import io.kafkaworker.inbox.Inboxes;
import io.kafkaworker.intercept.AccessLogInterceptor;
import io.kafkaworker.intercept.WorkerInterceptor;
import io.kafkaworker.observation.CallObservations;
import io.kafkaworker.observation.KafkaWorkerObservationConvention;
import io.kafkaworker.runtime.CompositeWorkerObserver;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.transaction.BoundTransactionalSender;
import io.kafkaworker.transaction.TransactionalSender;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.core.ShareConsumerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of kafka-worker: finds {@link KafkaBatchWorker} methods and runs
 * each as a worker in a Spring Kafka listener container, built from Spring Boot's own
 * {@code spring.kafka.*} consumer factory and listener settings.
 *
 * <p>
 * No bean of it stands in for one of the application's or makes a Spring Boot
 * auto-configuration back off: the one of a general type, the listener container factory,
 * is no default candidate, and the workers' executors and scheduler are not beans.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({ EnableKafka.class, KafkaBatchWorker.class })
@ConditionalOnBooleanProperty(name = "kafka.worker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KafkaWorkerProperties.class)
public final class KafkaWorkerAutoConfiguration {

	/**
	 * The name of the listener container factory of workers. The bean is no default
	 * candidate: a listener container factory injected by type is still Spring Boot's
	 * {@code kafkaListenerContainerFactory}; inject this one with
	 * {@code @Qualifier(CONTAINER_FACTORY_BEAN_NAME)}.
	 */
	public static final String CONTAINER_FACTORY_BEAN_NAME = "kafkaWorkerContainerFactory";

	/**
	 * The name of a {@code TaskScheduler} bean that, when the application defines one,
	 * replaces the scheduler the workers use for timed work: delayed retries of frozen
	 * records and the end of back-offs. Its {@link TaskScheduler#getClock() clock} is the
	 * clock those waits are timed by. kafka-worker-test defines one to let a test control
	 * time; declare yours with {@code @Bean(defaultCandidate = false)} so that it does
	 * not stand in for the application's own scheduler. Without one, the workers use a
	 * scheduler of their own that is not a bean.
	 */
	public static final String TASK_SCHEDULER_BEAN_NAME = "kafkaWorkerTaskScheduler";

	// Spring Boot's default for spring.lifecycle.timeout-per-shutdown-phase.
	private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(KafkaWorkerAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	static KafkaBatchWorkerAnnotationBeanPostProcessor kafkaBatchWorkerAnnotationBeanPostProcessor() {
		return new KafkaBatchWorkerAnnotationBeanPostProcessor();
	}

	@Bean
	static KafkaWorkerViewsRegistrar kafkaWorkerViewsRegistrar() {
		return new KafkaWorkerViewsRegistrar();
	}

	@Bean
	static KafkaWorkerProducersRegistrar kafkaWorkerProducersRegistrar() {
		return new KafkaWorkerProducersRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	TransactionalSender kafkaWorkerTransactionalSender() {
		return new BoundTransactionalSender();
	}

	@Bean
	@ConditionalOnBooleanProperty("kafka.worker.access-log.enabled")
	AccessLogInterceptor kafkaWorkerAccessLog(KafkaWorkerProperties properties) {
		return new AccessLogInterceptor(new LinkedHashSet<>(properties.getAccessLog().getWorkers()));
	}

	@Bean
	ReaderExit kafkaWorkerReaderExit(ConfigurableApplicationContext context, WorkerRegistry registry) {
		return new ReaderExit(context, registry);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerRegistry kafkaWorkerRegistry() {
		return new WorkerRegistry();
	}

	// Over Spring Boot's KafkaAdmin, so that it reaches the cluster with the admin's own
	// settings and operation timeout; closed with the context (close() is inferred).
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(KafkaAdmin.class)
	KafkaOffsets kafkaOffsets(KafkaAdmin kafkaAdmin) {
		return new KafkaOffsets(kafkaAdmin);
	}

	@Bean(name = CONTAINER_FACTORY_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONTAINER_FACTORY_BEAN_NAME)
	ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaWorkerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
			ObjectProvider<ConsumerFactory<Object, Object>> consumerFactory) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumerFactory.getObject());
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	WorkersShutdown kafkaWorkersShutdown(WorkerRegistry registry, KafkaWorkerProperties properties,
			Environment environment) {
		KafkaWorkerProperties.Shutdown shutdown = properties.getShutdown();
		Duration phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
				DEFAULT_PHASE_TIMEOUT);
		if (shutdown.getTimeout().compareTo(phaseTimeout) >= 0) {
			logger.warn("kafka.worker.shutdown.timeout (" + shutdown.getTimeout()
					+ ") is not below spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout
					+ "): Spring may stop waiting for the workers before they committed and left their groups");
		}
		return new WorkersShutdown(registry, shutdown.getDrain(), shutdown.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaWorkerEndpointRegistrar kafkaWorkerEndpointRegistrar(KafkaBatchWorkerAnnotationBeanPostProcessor methods,
			KafkaWorkerProperties properties, Environment environment,
			@Qualifier(CONTAINER_FACTORY_BEAN_NAME) ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaWorkerContainerFactory,
			WorkerRegistry registry, ApplicationEventPublisher eventPublisher,
			ObjectProvider<ProducerFactory<?, ?>> producerFactory, ObjectProvider<KafkaAdmin> kafkaAdmin,
			ObjectProvider<WorkerObserver> observers, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KafkaWorkerObservationConvention> observationConvention, ObjectProvider<Inboxes> inboxes,
			ObjectProvider<WorkerInterceptor> interceptors,
			ObjectProvider<ShareConsumerFactory<Object, Object>> shareConsumerFactory, BeanFactory beanFactory) {
		CallObservations observations = properties.getObservation().isEnabled()
				? new CallObservations(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
						observationConvention.getIfUnique())
				: CallObservations.NONE;
		@Nullable KafkaOperations<Object, Object> template = DeadLetterTemplates.from(producerFactory.getIfUnique());
		GroupTables tables = new GroupTables(properties, consumerFactory(kafkaWorkerContainerFactory),
				producerFactory.getIfUnique(), template, kafkaAdmin.getIfUnique());
		WorkerServices services = new WorkerServices(new WorkerExecutors(Threading.VIRTUAL.isActive(environment)),
				registry, CompositeWorkerObserver.of(observers.orderedStream().toList()), observations, eventPublisher,
				template, kafkaAdmin.getIfUnique(), taskScheduler(beanFactory),
				bootstrapServers(kafkaWorkerContainerFactory),
				TransactionalProducerFactory.from(producerFactory.getIfUnique(),
						TransactionalProducerFactory.prefix(properties.getExactlyOnce().getTransactionalIdPrefix(),
								environment)),
				(settings) -> settings.jdbcInbox() ? inbox(settings, inboxes.getIfAvailable())
						: InvocationDecorator.NONE,
				tables, interceptors.orderedStream().toList());
		return new KafkaWorkerEndpointRegistrar(methods,
				new WorkerSettingsResolver(properties, environment, beanFactory), properties,
				kafkaWorkerContainerFactory, services,
				() -> new ShareWorkerContainerFactory(
						shareConsumerFactory.getIfUnique(() -> shareConsumerFactory(kafkaWorkerContainerFactory)),
						services.admin()));
	}

	// Not a bean, so that it never stands in for the application's scheduler: a
	// TaskScheduler bean makes Spring Boot's TaskSchedulingAutoConfiguration back off
	// (and,
	// as an Executor, TaskExecutionAutoConfiguration), and is what lookups by type find
	// when it is the only one (Spring Kafka's retry topics, for one). The registrar shuts
	// it
	// down.
	private static TaskScheduler taskScheduler(BeanFactory beanFactory) {
		if (beanFactory.containsBean(TASK_SCHEDULER_BEAN_NAME)) {
			return beanFactory.getBean(TASK_SCHEDULER_BEAN_NAME, TaskScheduler.class);
		}
		return ownScheduler();
	}

	private static ThreadPoolTaskScheduler ownScheduler() {
		ThreadPoolTaskScheduler scheduler = new OwnTaskScheduler();
		scheduler.setThreadNamePrefix("kafka-worker-scheduler-");
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.initialize();
		return scheduler;
	}

	// Inboxes exist only with spring-jdbc and a DataSource
	// (KafkaWorkerJdbcInboxAutoConfiguration).
	private static InvocationDecorator inbox(WorkerSettings settings, @Nullable Inboxes inboxes) {
		if (inboxes == null) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + settings.id() + "' uses kafka.worker.workers." + settings.id()
							+ ".exactly-once.store=JDBC but the application has no DataSource bean "
							+ "(or no single primary one) or spring-jdbc is not on the class path",
					"Add spring-boot-starter-jdbc (or JPA) and configure spring.datasource.*, or use "
							+ "exactly-once.store KAFKA");
		}
		return inboxes.inbox(settings);
	}

	// javac 17 and 25 read the nullness of the factory's wildcard type arguments
	// differently, so NullAway accepts no single declaration on both.
	@SuppressWarnings({ "unchecked", "NullAway" })
	// The application's share consumer factory if it has one; else one with the
	// settings of its consumer factory (spring.kafka.consumer.*): one connection
	// configuration.
	private static ShareConsumerFactory<Object, Object> shareConsumerFactory(
			ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory) {
		ConsumerFactory<Object, Object> consumers = consumerFactory(containerFactory);
		if (consumers == null) {
			throw new IllegalStateException(
					"Share-group workers need a ConsumerFactory or a ShareConsumerFactory bean");
		}
		return ShareConsumers.from(consumers.getConfigurationProperties());
	}

	private static @Nullable ConsumerFactory<Object, Object> consumerFactory(
			ConcurrentKafkaListenerContainerFactory<Object, Object> factory) {
		return (ConsumerFactory<Object, Object>) (ConsumerFactory<?, ?>) factory.getConsumerFactory();
	}

	// For messages that name the brokers a worker tries to reach.
	private static String bootstrapServers(ConcurrentKafkaListenerContainerFactory<Object, Object> factory) {
		ConsumerFactory<? super Object, ? super Object> consumerFactory = factory.getConsumerFactory();
		Object servers = (consumerFactory != null)
				? consumerFactory.getConfigurationProperties().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) : null;
		if (servers instanceof Collection<?> list) {
			return StringUtils.collectionToCommaDelimitedString(list);
		}
		return String.valueOf(servers);
	}

}
