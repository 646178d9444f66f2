package io.kafkaworker.container;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.kafkaworker.delivery.DeliveryGuarantee;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.intercept.CallInterceptors;
import io.kafkaworker.intercept.WorkerCall;
import io.kafkaworker.lane.CallHandler;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.observation.CallObservations;
import io.kafkaworker.observation.RecordLogContext;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Handles one call on a lane thread. A lane-batch handler gets the call's records in one
 * invocation; a single-record handler is invoked once per record of the call, in order
 * (the scheduler gives such calls several records only when no other lane is waiting).
 * Each invocation is retried in place with back-off; once retries are exhausted the
 * worker's failure policy decides what happens.
 *
 * <p>
 * Each invocation is observed from its first attempt to its outcome: its span (parented
 * from the record's trace headers) is current and the records' coordinates are in the MDC
 * while the handler, its back-offs and the failure policy run, so the handler's own
 * spans, sends and log lines belong to the record. Retries are events on the span; a
 * failure that exhausts them is its error.
 *
 * <p>
 * Records are completed before they leave the in-flight count, so that a revocation
 * waiting for in-flight records always sees their completion and commits it. Records of a
 * partition that was revoked meanwhile are abandoned: the partition's next owner handles
 * them from the committed offset.
 */
final class RecordHandler implements CallHandler<WorkItem> {

	private static final Log logger = LogFactory.getLog(RecordHandler.class);

	private static final Duration DRAIN_CHECK = Duration.ofMillis(100);

	private final String workerId;

	private final String groupId;

	private final WorkerRetryPolicy retry;

	private final boolean batchSignature;

	private final HandlerInvocation invoker;

	// How a failed record runs again, chosen once by the worker's delivery guarantee.
	private final DeliveryGuarantee delivery;

	private final Backpressure backpressure;

	private final FailureActions failureActions;

	private final Predicate<WorkItem> held;

	private final WorkerObserver observer;

	// The worker's interceptors, or none at no cost.
	private final CallInterceptors interceptors;

	private final CallObservations observations;

	// What back-offs are timed by: the worker scheduler's clock, so that a test that
	// controls the scheduler controls retries too.
	private final Clock clock;

	// The lane threads in a run of calls, for the liveness check.
	private final Set<LaneRun> runs = ConcurrentHashMap.newKeySet();

	// Set when a graceful shutdown drains the worker: failures stop retrying.
	private volatile boolean draining;

	// Bound once: a call runs through it on the hot path.
	private final DeliveryGuarantee.Call call = new DeliveryGuarantee.Call() {

		@Override
		public CallOutcome run(List<WorkItem> items) {
			return handleCall(items);
		}

		@Override
		public void describe(List<WorkItem> items) {
			laneRun().logContext.describe(consumerRecords(items));
		}

	};

	// What each lane thread keeps during its run of calls.
	private final ThreadLocal<LaneRun> laneRuns = new ThreadLocal<>();

	RecordHandler(String workerId, String groupId, WorkerRetryPolicy retry, boolean batchSignature,
			HandlerInvocation invoker, Backpressure backpressure, FailureActions failureActions,
			Predicate<WorkItem> held, WorkerObserver observer, CallInterceptors interceptors,
			CallObservations observations, DeliveryGuarantee delivery, Clock clock) {
		this.workerId = workerId;
		this.groupId = groupId;
		this.retry = retry;
		this.batchSignature = batchSignature;
		this.invoker = invoker;
		this.backpressure = backpressure;
		this.failureActions = failureActions;
		this.held = held;
		this.observer = observer;
		this.interceptors = interceptors;
		this.observations = observations;
		this.delivery = delivery;
		this.clock = clock;
	}

	@Override
	public CallOutcome handle(List<WorkItem> items) {
		return this.delivery.call(items, this.call);
	}

	/**
	 * Take the thread's log context out of its MDC: the lane thread's run of calls ended.
	 */
	@Override
	public void runEnded() {
		LaneRun run = this.laneRuns.get();
		if (run != null) {
			this.laneRuns.remove();
			this.runs.remove(run);
			run.logContext.close();
		}
	}

	private CallOutcome handleCall(List<WorkItem> items) {
		LaneRun run = laneRun();
		if (this.batchSignature) {
			return handleBatch(items, run);
		}
		for (int i = 0; i < items.size(); i++) {
			WorkItem item = items.get(i);
			// A SERIAL lane's chunk may hold records of other partitions too: only this
			// one's are abandoned.
			if (item.partition().isRevoked()) {
				continue;
			}
			if (this.held.test(item)) {
				// A freeze began while this call ran earlier records of the chunk.
				return CallOutcome.putBackFrom(i);
			}
			if (!item.partition().startUnlessRevoked(1)) {
				// revoked since the check above
				continue;
			}
			CallOutcome outcome = handleInvocation(List.of(item), run);
			if (outcome.isHalt()) {
				return outcome.from(i);
			}
		}
		return CallOutcome.DONE;
	}

	private LaneRun laneRun() {
		LaneRun run = this.laneRuns.get();
		if (run == null) {
			run = new LaneRun(RecordLogContext.open(this.workerId));
			this.laneRuns.set(run);
			this.runs.add(run);
		}
		return run;
	}

	// A lane-batch call runs the records whose partitions are still assigned; only a
	// SERIAL lane's call spans partitions, so only there may some of them be left out.
	private CallOutcome handleBatch(List<WorkItem> items, LaneRun run) {
		List<WorkItem> admitted = startUnlessRevoked(items);
		if (admitted.isEmpty()) {
			return CallOutcome.DONE;
		}
		CallOutcome outcome = handleInvocation(admitted, run);
		if (admitted.size() == items.size() || !outcome.isPutBack()) {
			return outcome;
		}
		return outcome.from(items.indexOf(admitted.get(outcome.fromIndex())));
	}

	// Note the records in flight, partition by partition, atomically with each
	// partition's revocation, so that a revocation either waits for them or sees them
	// abandoned; returns those noted (the same list when all were).
	private static List<WorkItem> startUnlessRevoked(List<WorkItem> items) {
		List<WorkItem> admitted = null;
		int runStart = 0;
		for (int i = 1; i <= items.size(); i++) {
			if (i < items.size() && items.get(i).partition() == items.get(runStart).partition()) {
				continue;
			}
			boolean started = items.get(runStart).partition().startUnlessRevoked(i - runStart);
			if (!started && admitted == null) {
				admitted = new ArrayList<>(items.subList(0, runStart));
			}
			else if (started && admitted != null) {
				admitted.addAll(items.subList(runStart, i));
			}
			runStart = i;
		}
		return (admitted != null) ? admitted : items;
	}

	// Runs records already noted in flight (startUnlessRevoked) and ends them, whatever
	// happens: a revocation waits until they ended.
	private CallOutcome handleInvocation(List<WorkItem> records, LaneRun run) {
		try {
			return observeAndInvoke(records, run);
		}
		finally {
			forEachPartition(records, (partition, count) -> {
				partition.ended(count);
				this.backpressure.progressed(partition);
			});
		}
	}

	private CallOutcome observeAndInvoke(List<WorkItem> records, LaneRun run) {
		List<ConsumerRecord<?, ?>> consumerRecords = consumerRecords(records);
		// Before the observation starts, so that what its handlers log names these
		// records.
		run.logContext.describe(consumerRecords);
		Observation observation = this.observations.start(this.workerId, this.groupId, consumerRecords,
				this.batchSignature);
		try (Observation.Scope scope = observation.openScope()) {
			return invokeWithRetries(records, consumerRecords, observation, run);
		}
		catch (RuntimeException | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private CallOutcome invokeWithRetries(List<WorkItem> records, List<ConsumerRecord<?, ?>> consumerRecords,
			Observation observation, LaneRun run) {
		WorkerRetryPolicy retry = this.retry;
		WorkerRetryPolicy.Backoffs backoffs = null;
		PartitionOffsets partition = records.get(0).partition();
		for (int attempt = 1;; attempt++) {
			long start = System.nanoTime();
			this.observer.attemptStarted(this.workerId, consumerRecords, attempt);
			run.invocationStarted = start;
			WorkerCall intercepted = null;
			try {
				intercepted = this.interceptors.before(consumerRecords, attempt);
				CompletableFuture<?> durable = this.invoker.invoke(records);
				called(records, start, true, run);
				this.observer.attemptEnded(this.workerId, consumerRecords, attempt, null);
				this.interceptors.after(intercepted, start);
				if (durable == null) {
					completeAll(records);
				}
				else {
					completeWhenDurable(records, durable);
				}
				this.failureActions.count(records, RecordOutcome.SUCCESS);
				return CallOutcome.DONE;
			}
			catch (Throwable ex) {
				called(records, start, false, run);
				this.observer.attemptEnded(this.workerId, consumerRecords, attempt, ex);
				this.interceptors.failed(intercepted, consumerRecords, attempt, ex, start);
				rethrowIfFatal(ex);
				if (partition.isRevoked()) {
					return failed(observation, ex, CallOutcome.DONE);
				}
				CallOutcome runAgain = this.delivery.afterFailedAttempt(records, ex);
				if (runAgain != null) {
					return failed(observation, ex, runAgain);
				}
				if (this.draining) {
					return failed(observation, ex, leaveForRedelivery(records, ex));
				}
				Duration wait = null;
				if (retry.shouldRetry(ex, attempt)) {
					backoffs = (backoffs != null) ? backoffs : retry.start();
					wait = backoffs.next();
				}
				if (wait == null) {
					// Before the failure policy, so that what the policy logs or sends
					// belongs to a span that already shows the failure.
					observation.error(ex);
					return this.failureActions.applyInPlace(records, ex, attempt);
				}
				String waitText = DurationFormatterUtils.print(wait, DurationFormat.Style.COMPOSITE);
				if (logger.isDebugEnabled()) {
					logger.debug("Worker '" + this.workerId + "' attempt " + attempt + " of " + retry.maxAttempts()
							+ " for " + records + " failed (" + ex + "); retrying in " + waitText);
				}
				this.failureActions.retrying(records);
				observation.event(Observation.Event.of("retry", "attempt " + attempt + " of " + retry.maxAttempts()
						+ " failed (" + ex + "); retrying in " + waitText));
				if (awaitBackoff(partition, wait)) {
					return failed(observation, ex, CallOutcome.DONE);
				}
				if (this.draining) {
					return failed(observation, ex, leaveForRedelivery(records, ex));
				}
			}
		}
	}

	// The records stay in flight until their effects are durable, so that a revocation
	// or a drain waits for the acknowledgment and commits past them; the lane meanwhile
	// runs its next record. Completes on the producer's thread.
	private void completeWhenDurable(List<WorkItem> records, CompletableFuture<?> durable) {
		forEachPartition(records, PartitionOffsets::started);
		durable.whenComplete((result, failure) -> {
			if (failure == null) {
				completeAll(records);
			}
			else if (!records.get(0).partition().isRevoked()) {
				this.failureActions.stopForLostWrite(records, failure);
			}
			forEachPartition(records, (partition, count) -> {
				partition.ended(count);
				this.backpressure.progressed(partition);
			});
		});
	}

	// An attempt's error becomes the call's only when no later attempt follows: a retry
	// that succeeds leaves only its event on the span.
	private static CallOutcome failed(Observation observation, Throwable failure, CallOutcome outcome) {
		observation.error(failure);
		return outcome;
	}

	/**
	 * Stop retrying: from now on a failed call halts its lane and leaves its records
	 * incomplete, and a call waiting to retry stops waiting, so a graceful shutdown is
	 * not held up by back-offs. The records are redelivered after restart.
	 */
	void startDraining() {
		this.draining = true;
	}

	void stopDraining() {
		this.draining = false;
	}

	// Wait out a back-off in short steps, so that a drain that starts meanwhile ends it
	// soon; a revocation ends it at once.
	private boolean awaitBackoff(PartitionOffsets partition, Duration wait) {
		Instant deadline = this.clock.instant().plus(wait);
		Duration left = wait;
		while (left.compareTo(Duration.ZERO) > 0 && !this.draining) {
			if (partition.awaitRevocation((left.compareTo(DRAIN_CHECK) < 0) ? left : DRAIN_CHECK)) {
				return true;
			}
			left = Duration.between(this.clock.instant(), deadline);
		}
		return false;
	}

	private CallOutcome leaveForRedelivery(List<WorkItem> records, Throwable failure) {
		logger.warn("Worker '" + this.workerId + "' is shutting down: " + records
				+ " failed and is left for redelivery after restart (" + failure + ")");
		return CallOutcome.HALT;
	}

	/**
	 * Return how long the longest-running invocation has been running.
	 * @return the duration, zero when nothing runs
	 */
	Duration longestRunning() {
		long now = System.nanoTime();
		long longest = 0;
		for (LaneRun run : this.runs) {
			long started = run.invocationStarted;
			if (started != LaneRun.NOT_RUNNING) {
				longest = Math.max(longest, now - started);
			}
		}
		return Duration.ofNanos(longest);
	}

	private void called(List<WorkItem> records, long start, boolean success, LaneRun run) {
		run.invocationStarted = LaneRun.NOT_RUNNING;
		this.observer.handlerCalled(this.workerId, records.get(0).record().topic(), records.size(),
				Duration.ofNanos(System.nanoTime() - start), success);
	}

	// An OutOfMemoryError or an internal JVM error is not the record's fault: let it
	// halt the lane rather than apply the failure policy to the record.
	private static void rethrowIfFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
			throw (VirtualMachineError) ex;
		}
	}

	// A loop, not a stream: this runs for every call, and the stream pipeline was 7 % of
	// the lane threads' CPU samples at zero work (P2).
	private static List<ConsumerRecord<?, ?>> consumerRecords(List<WorkItem> items) {
		if (items.size() == 1) {
			return List.of(items.get(0).record());
		}
		List<ConsumerRecord<?, ?>> records = new ArrayList<>(items.size());
		for (WorkItem item : items) {
			records.add(item.record());
		}
		return Collections.unmodifiableList(records);
	}

	static void completeAll(List<WorkItem> items) {
		for (WorkItem item : items) {
			item.complete();
		}
	}

	// Calls the action once per run of consecutive items of the same partition. Lanes
	// hold
	// one partition's records except the single lane of SERIAL mode.
	private static void forEachPartition(List<WorkItem> items, PartitionAction action) {
		PartitionOffsets current = null;
		int count = 0;
		for (WorkItem item : items) {
			if (item.partition() != current) {
				if (current != null) {
					action.apply(current, count);
				}
				current = item.partition();
				count = 0;
			}
			count++;
		}
		if (current != null) {
			action.apply(current, count);
		}
	}

	/**
	 * What a lane thread keeps from its first call to the end of its run: one log context
	 * for all its calls (opened and closed per call, it put and removed every MDC key per
	 * record, a fifth of the lane threads' CPU samples in KEY mode at zero work, P2), and
	 * when its running invocation started, for the liveness check (a map by thread
	 * written twice per invocation cost another few percent there).
	 */
	private static final class LaneRun {

		static final long NOT_RUNNING = Long.MIN_VALUE;

		final RecordLogContext logContext;

		volatile long invocationStarted = NOT_RUNNING;

		LaneRun(RecordLogContext logContext) {
			this.logContext = logContext;
		}

	}

	@FunctionalInterface
	private interface PartitionAction {

		void apply(PartitionOffsets partition, int count);

	}

}
