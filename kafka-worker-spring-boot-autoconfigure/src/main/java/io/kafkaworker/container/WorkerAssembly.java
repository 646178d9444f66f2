package io.kafkaworker.container;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.delivery.DeliveryContext;
import io.kafkaworker.delivery.DeliveryGuarantee;
import io.kafkaworker.delivery.DeliveryGuarantees;
import io.kafkaworker.delivery.ReaderEnd;
import io.kafkaworker.delivery.RevocationWait;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.DeadLetterPublisher;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FreezeRegistry;
import io.kafkaworker.intercept.CallInterceptors;
import io.kafkaworker.lane.CallHandler;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.state.GroupTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.springframework.scheduling.TaskScheduler;

/**
 * Builds the parts of one worker's engine from its settings and the application's
 * services, one method per part, in the order they depend on each other. The worker's
 * delivery guarantee is chosen here, once; nothing else asks which one it is.
 */
final class WorkerAssembly {

	private static final Log logger = LogFactory.getLog(WorkerAssembly.class);

	/** Most records per call of a single-record handler, handled one after another. */
	private static final int MAX_CHUNK = 32;

	private final WorkerSettings settings;

	private final WorkerServices services;

	private final Ordering ordering;

	final WorkerExecutor executor;

	final WorkerEvents events;

	final PartitionPauses pauses = new PartitionPauses();

	final RevocationWait revocationWait;

	final LaneScheduler<WorkItem> scheduler;

	final Backpressure backpressure;

	final InvocationDecorator decorator;

	final FreezeRegistry freezes;

	final FailureActions failureActions;

	final DeliveryGuarantee delivery;

	final @Nullable GroupTable table;

	final @Nullable ShareAcks shareAcks;

	final PartitionStates states;

	final RecordHandler handler;

	final Dispatcher dispatcher;

	/**
	 * Build a worker's parts.
	 * @param settings the worker's settings
	 * @param method the user's method
	 * @param converter the converter for payloads that need one, or null
	 * @param services the application's shared infrastructure
	 * @param worker the worker: the source of its events, and what on-failure STOP stops
	 * @param stopWorker stops the worker's container, from any thread
	 * @param readerEnd hears that a reader reached its end
	 */
	WorkerAssembly(WorkerSettings settings, WorkerMethod method, @Nullable RecordMessageConverter converter,
			WorkerServices services, Object worker, Runnable stopWorker, ReaderEnd readerEnd) {
		this.settings = settings;
		this.services = services;
		this.ordering = Ordering.valueOf(settings.mode().name());
		this.revocationWait = new RevocationWait(settings.revokeTimeout(), System::nanoTime);
		this.executor = services.executors().apply(settings);
		this.events = events(worker);
		HandlerHolder holder = new HandlerHolder();
		this.scheduler = scheduler(method.signature().isBatch(), holder);
		this.backpressure = backpressure();
		this.decorator = services.invocationDecorators().apply(settings);
		this.freezes = freezes();
		ShareGroupSettings share = settings.share();
		this.shareAcks = settings.shareGroup() ? new ShareAcks(share != null && share.rejectExhausted()) : null;
		// After the share acknowledgements, which hear about exhausted records.
		this.failureActions = failureActions(stopWorker);
		this.delivery = delivery(readerEnd);
		this.table = method.hasTableRow() ? services.tables().create(settings, method) : null;
		this.states = states(this.table, settings.id(), stopWorker, services.observer());
		this.handler = handler(method, converter);
		holder.handler = this.handler;
		this.dispatcher = new Dispatcher(this.ordering, this.scheduler);
	}

	private WorkerEvents events(Object worker) {
		WorkerEvents workerEvents = new WorkerEvents(this.services.eventPublisher());
		workerEvents.setSource(worker);
		return workerEvents;
	}

	private LaneScheduler<WorkItem> scheduler(boolean batch, HandlerHolder holder) {
		return new LaneScheduler<>(this.settings.concurrency(), batch ? this.settings.batchSize() : MAX_CHUNK, !batch,
				this.executor.executor(), holder);
	}

	private Backpressure backpressure() {
		LaneScheduler<WorkItem> lanes = this.scheduler;
		return new Backpressure(this.settings.maxBufferedRecords(), this.settings.maxBufferedBytes(),
				this.pauses.forBackpressure(),
				(this.ordering == Ordering.KEY)
						? (partition) -> lanes.deepestLane((key) -> partition.equals(Ordering.partitionOf(key)))
						: (partition) -> 0);
	}

	private FreezeRegistry freezes() {
		return new FreezeRegistry(this.settings.id(), this.settings.failure(), this.ordering, this.scheduler,
				this.pauses, this.events, this.services.taskScheduler());
	}

	private FailureActions failureActions(Runnable stopWorker) {
		ShareAcks acks = this.shareAcks;
		return new FailureActions(this.settings.id(), this.settings.failure().onFailure(), this.ordering,
				this.scheduler, this.freezes, deadLetterPublisher(), this.events, stopWorker, this.services.observer(),
				(acks != null) ? acks::exhausted : (items) -> {
				});
	}

	// One publisher per worker, whatever path a record fails on.
	private @Nullable DeadLetterPublisher deadLetterPublisher() {
		KafkaOperations<Object, Object> template = DeliveryGuarantees.deadLetterTemplate(this.settings.delivery(),
				this.settings.exactlyOnceStore(), this.services.deadLetterTemplate());
		return (template != null) ? new DeadLetterPublisher(this.settings.failure(), this.settings.groupId(), template,
				this.services.admin()) : null;
	}

	private DeliveryGuarantee delivery(ReaderEnd readerEnd) {
		ReaderSettings reader = this.settings.reader();
		if (this.shareAcks != null) {
			return DeliveryGuarantees.share(this.shareAcks);
		}
		if (reader != null) {
			return DeliveryGuarantees.reader(this.settings.id(), reader.stopAtEnd(), readerEnd);
		}
		DeliveryContext context = new DeliveryContext(this.settings.id(), this.settings.failure(), this.revocationWait,
				this.pauses, this.failureActions, this.freezes, this.services.taskScheduler());
		return DeliveryGuarantees.of(this.settings.delivery(), this.settings.exactlyOnceStore(), context,
				this.services.transactionalProducers(), this::committer);
	}

	// A consumer's committer reports each commit to the metrics and, once it succeeded,
	// to the invocation decorator (the database inbox prunes what the commit passed).
	private OffsetCommitter committer() {
		String id = this.settings.id();
		return new OffsetCommitter(id, this.settings.commitInterval(), this.settings.commitTimeout(),
				this.settings.commitMetadataLimit(), System::nanoTime, (offsets, duration, failure) -> {
					this.services.observer().committed(id, failure == null, duration);
					if (failure == null) {
						this.decorator.committed(this.settings.groupId(), offsets);
					}
				});
	}

	private RecordHandler handler(WorkerMethod method, @Nullable RecordMessageConverter converter) {
		HandlerMethodInvoker invoker = new HandlerMethodInvoker(method, converter, this.table);
		return new RecordHandler(this.settings.id(), this.settings.groupId(), this.settings.failure().retry(),
				method.signature().isBatch(), this.decorator.decorate(invoker::invoke), this.backpressure,
				this.failureActions, this.scheduler::isHeld, this.services.observer(),
				CallInterceptors.of(this.settings.id(), this.services.interceptors()), this.services.observations(),
				this.delivery, clock());
	}

	// A worker whose table cannot be restored stops: its records must not run without
	// their rows.
	private static PartitionStates states(@Nullable GroupTable table, String workerId, Runnable stopWorker,
			WorkerObserver observer) {
		if (table == null) {
			return PartitionStates.NONE;
		}
		return new PartitionStates() {

			@Override
			public void assigned(Collection<TopicPartition> partitions) {
				long started = System.nanoTime();
				try {
					long records = table.restore(partitions);
					observer.tableRestored(workerId, partitions.size(), records,
							Duration.ofNanos(System.nanoTime() - started));
				}
				catch (RuntimeException ex) {
					logger.error("Worker '" + workerId + "' could not restore group table '" + table.topic() + "' for "
							+ partitions + "; stopping the worker", ex);
					stopWorker.run();
					throw ex;
				}
			}

			@Override
			public void released(Collection<TopicPartition> partitions, Collection<TopicPartition> settled) {
				table.release(partitions, settled);
			}

		};
	}

	// Back-offs are timed by the clock of the scheduler that times the worker's other
	// waits, so that a test that controls the scheduler controls them all.
	private Clock clock() {
		TaskScheduler taskScheduler = this.services.taskScheduler();
		return (taskScheduler != null) ? taskScheduler.getClock() : Clock.systemDefaultZone();
	}

	// The scheduler needs the handler and the handler needs what the scheduler feeds:
	// the holder breaks the cycle during construction only.
	private static final class HandlerHolder implements CallHandler<WorkItem> {

		@Nullable RecordHandler handler;

		@Override
		public CallOutcome handle(List<WorkItem> items) {
			return Objects.requireNonNull(this.handler).handle(items);
		}

		@Override
		public void runEnded() {
			Objects.requireNonNull(this.handler).runEnded();
		}

	}

}
