package io.kafkaworker.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.inbox.Inboxes;
import io.kafkaworker.metrics.KafkaWorkerMetrics;
import io.kafkaworker.testsupport.OrdersWorkerConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.MethodMetadata;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the beans of every kafka-worker auto-configuration leave Spring Boot's own
 * auto-configured beans in place and the application's defaults: none makes a Boot
 * auto-configuration back off or is what an injection or lookup by a general type finds.
 */
class BootDefaultBeansTests {

	// The types of beans the application expects to be its own or Boot's.
	private static final List<Class<?>> GENERAL_TYPES = List.of(Executor.class, TaskScheduler.class,
			ScheduledExecutorService.class, KafkaListenerContainerFactory.class, ConsumerFactory.class,
			ProducerFactory.class, KafkaOperations.class, KafkaAdmin.class, JdbcOperations.class,
			PlatformTransactionManager.class, MeterRegistry.class, ObservationRegistry.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				TaskSchedulingAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(workerAutoConfigurations()))
		.withUserConfiguration(OrdersWorkerConfiguration.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false");

	@Test
	void scheduledMethodWhenWorkersArePresentShouldRunOnBootsTaskScheduler() {
		this.contextRunner.withUserConfiguration(SchedulingAndAsyncConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasBean("taskScheduler");
			assertThat(context.getBean(ThreadNames.class).scheduled().get(10, TimeUnit.SECONDS))
				.startsWith("scheduling-");
		});
	}

	@Test
	void scheduledMethodWhenTheWorkersHaveTheirOwnSchedulerBeanShouldRunOnBootsTaskScheduler() {
		// Declared as TASK_SCHEDULER_BEAN_NAME's Javadoc says (and kafka-worker-test
		// does): no default candidate, so Boot's scheduler stays.
		this.contextRunner.withUserConfiguration(SchedulingAndAsyncConfiguration.class, WorkerSchedulerBean.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("taskScheduler");
				assertThat(context.getBean(ThreadNames.class).scheduled().get(10, TimeUnit.SECONDS))
					.startsWith("scheduling-");
			});
	}

	@Test
	void asyncMethodWhenWorkersArePresentShouldRunOnBootsApplicationTaskExecutor() {
		this.contextRunner.withUserConfiguration(SchedulingAndAsyncConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasBean("applicationTaskExecutor");
			assertThat(context.getBean(ThreadNames.class).async().get(10, TimeUnit.SECONDS)).startsWith("task-");
		});
	}

	@Test
	void taskSchedulerWhenTheApplicationHasNoneShouldNotBeTheWorkers() {
		// A unique TaskScheduler bean is what lookups by type find (Spring Kafka's retry
		// topics, for one), default candidate or not.
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskScheduler.class));
	}

	@Test
	void listenerContainerFactoryByTypeShouldBeBoots() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasBean(KafkaWorkerAutoConfiguration.CONTAINER_FACTORY_BEAN_NAME);
			assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class))
				.isSameAs(context.getBean("kafkaListenerContainerFactory"));
		});
	}

	@Test
	void workerBeansOfGeneralTypesShouldNotBeDefaultCandidates() {
		// With a database, a meter registry and the endpoint exposed, the optional
		// auto-configurations contribute their beans too.
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("spring.datasource.generate-unique-name=true",
					"management.endpoints.web.exposure.include=*")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Inboxes.class).hasSingleBean(KafkaWorkerMetrics.class);
				for (Class<?> type : GENERAL_TYPES) {
					for (String name : context.getBeanNamesForType(type)) {
						BeanDefinition definition = context.getBeanFactory().getBeanDefinition(name);
						if (isDeclaredByAWorkerAutoConfiguration(definition)) {
							assertThat(((AbstractBeanDefinition) definition).isDefaultCandidate())
								.as("bean '%s' of type %s is a default candidate", name, type.getName())
								.isFalse();
						}
					}
				}
			});
	}

	private static boolean isDeclaredByAWorkerAutoConfiguration(BeanDefinition definition) {
		MethodMetadata factoryMethod = (definition instanceof AnnotatedBeanDefinition annotated)
				? annotated.getFactoryMethodMetadata() : null;
		String declaringClass = (factoryMethod != null) ? factoryMethod.getDeclaringClassName()
				: definition.getBeanClassName();
		return declaringClass != null && Arrays.stream(workerAutoConfigurations())
			.anyMatch((autoConfiguration) -> declaringClass.startsWith(autoConfiguration.getName()));
	}

	// Every auto-configuration the starter lists, so that a new one is covered too.
	private static Class<?>[] workerAutoConfigurations() {
		ClassLoader classLoader = BootDefaultBeansTests.class.getClassLoader();
		List<Class<?>> classes = ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.kafkaworker."))
			.<Class<?>>map((name) -> load(name, classLoader))
			.toList();
		assertThat(classes).contains(KafkaWorkerAutoConfiguration.class);
		return classes.toArray(Class<?>[]::new);
	}

	private static Class<?> load(String name, ClassLoader classLoader) {
		try {
			return Class.forName(name, false, classLoader);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerSchedulerBean {

		@Bean(name = KafkaWorkerAutoConfiguration.TASK_SCHEDULER_BEAN_NAME, defaultCandidate = false)
		ThreadPoolTaskScheduler kafkaWorkerTaskScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("workers-own-");
			return scheduler;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@EnableAsync
	static class SchedulingAndAsyncConfiguration {

		@Bean
		ThreadNames threadNames() {
			return new ThreadNames();
		}

	}

	/**
	 * Tells the threads its scheduled and async methods run on.
	 */
	public static class ThreadNames {

		private final CompletableFuture<String> scheduled = new CompletableFuture<>();

		/**
		 * Record the thread of the first scheduled run.
		 */
		@Scheduled(fixedDelay = 50)
		public void tick() {
			this.scheduled.complete(Thread.currentThread().getName());
		}

		/**
		 * Return the thread of the first scheduled run.
		 * @return the thread's name, once it ran
		 */
		public CompletableFuture<String> scheduled() {
			return this.scheduled;
		}

		/**
		 * Return the thread this async method runs on.
		 * @return the thread's name
		 */
		@Async
		public CompletableFuture<String> async() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

}
