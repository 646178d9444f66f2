package io.kafkaworker.container;

import java.util.List;
import java.util.function.Function;

import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.intercept.WorkerInterceptor;
import io.kafkaworker.observation.CallObservations;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.state.GroupTable;
import io.kafkaworker.transaction.TransactionalProducers;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.scheduling.TaskScheduler;

/**
 * The application's infrastructure that every worker shares.
 *
 * @param executors creates the executor of a worker's lanes
 * @param registry where workers are registered once created
 * @param observer told what workers do, for metrics
 * @param observations observes each handler call, for traces
 * @param eventPublisher publishes the workers' application events, or null
 * @param deadLetterTemplate publishes dead letters, or null if none is available
 * @param admin creates missing dead-letter topics, or null
 * @param taskScheduler runs delayed retries of frozen records, or null
 * @param bootstrapServers the brokers consumers connect to, for messages
 * @param transactionalProducers creates the transactional producers of exactly-once
 * workers, or null if no producer factory is available
 * @param invocationDecorators wraps a worker's handler calls (the database inbox of
 * exactly-once workers), given its settings
 * @param tables creates the group table of a worker whose method takes a table row
 * @param interceptors the application's worker interceptors, in order
 */
public record WorkerServices(Function<WorkerSettings, WorkerExecutor> executors, WorkerRegistry registry,
		WorkerObserver observer, CallObservations observations, @Nullable ApplicationEventPublisher eventPublisher,
		@Nullable KafkaOperations<Object, Object> deadLetterTemplate, @Nullable KafkaAdmin admin,
		@Nullable TaskScheduler taskScheduler, String bootstrapServers,
		@Nullable TransactionalProducers transactionalProducers,
		Function<WorkerSettings, InvocationDecorator> invocationDecorators, Tables tables,
		List<WorkerInterceptor> interceptors) {

	/**
	 * Create the services.
	 */
	public WorkerServices {
		interceptors = List.copyOf(interceptors);
	}

	/**
	 * Creates the group tables of workers.
	 */
	@FunctionalInterface
	public interface Tables {

		/**
		 * Create the group table of a worker.
		 * @param settings the worker's settings
		 * @param method its method, which takes a table row
		 * @return the table
		 * @throws io.kafkaworker.annotation.KafkaWorkerConfigurationException if the
		 * worker cannot have one
		 */
		GroupTable create(WorkerSettings settings, WorkerMethod method);

	}

}
