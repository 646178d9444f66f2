package io.kafkaworker.container;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import io.kafkaworker.delivery.CommitProtocol;
import io.kafkaworker.delivery.DeliveryGuarantee;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.failure.FreezeRegistry;
import io.kafkaworker.intercept.CallInterceptors;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.observation.CallObservations;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for how {@link RecordHandler} abandons the records of a revoked partition: a
 * revocation waits for the records in flight and then commits, so a record must either be
 * in flight when the revocation looks, or never run.
 */
class RecordHandlerRevocationTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final List<ConsumerRecord<?, ?>> invoked = Collections.synchronizedList(new ArrayList<>());

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	/**
	 * The consumer thread revokes the partition between the lane thread's check of it and
	 * the call's start (here inside the freeze check, which runs in that window). The
	 * revocation finds nothing in flight and commits the watermark, so the record must
	 * not run: its completion would be neither waited for nor committed, and the next
	 * owner would handle it again (a rebalance test saw exactly that with a 30 ms
	 * tenure).
	 */
	@Test
	void aRecordWhosePartitionIsRevokedJustBeforeItsCallStartsIsAbandoned() throws Exception {
		PartitionOffsets partition = new PartitionOffsets(P0);
		List<WorkItem> items = receive(partition, 2);
		List<Long> committedAtRevocation = new ArrayList<>();
		Predicate<WorkItem> revokingInTheWindow = (item) -> {
			if (!partition.isRevoked()) {
				revokeAndAwaitInFlight(partition);
				committedAtRevocation.add(partition.committableOffset());
			}
			return false;
		};
		RecordHandler handler = handler(false, revokingInTheWindow);

		CallOutcome outcome = handler.handle(items);

		assertThat(outcome.isPutBack()).isFalse();
		assertThat(committedAtRevocation).containsExactly(0L);
		assertThat(this.invoked).as("records run after the revocation committed offset 0").isEmpty();
		assertThat(partition.inFlight()).isZero();
	}

	/**
	 * A record whose call started before the revocation is in flight: the revocation
	 * waits for it and its completion counts.
	 */
	@Test
	void aRecordInItsCallWhenThePartitionIsRevokedIsWaitedForAndCompleted() throws Exception {
		PartitionOffsets partition = new PartitionOffsets(P0);
		List<WorkItem> items = receive(partition, 1);
		List<Boolean> nothingInFlightAtOnce = new ArrayList<>();
		RecordHandler handler = handler(false, (item) -> false, (records) -> {
			partition.revoke();
			nothingInFlightAtOnce.add(partition.awaitNothingInFlight(Duration.ZERO));
		});

		handler.handle(items);

		assertThat(nothingInFlightAtOnce).containsExactly(false);
		assertThat(this.invoked).hasSize(1);
		assertThat(partition.committableOffset()).isEqualTo(1);
		assertThat(partition.inFlight()).isZero();
	}

	/**
	 * A SERIAL lane's batch call may span partitions: the records of a revoked one are
	 * left out, the others run and complete.
	 */
	@Test
	void aBatchCallLeavesOutTheRecordsOfARevokedPartition() {
		PartitionOffsets revoked = new PartitionOffsets(P0);
		PartitionOffsets assigned = new PartitionOffsets(P1);
		List<WorkItem> items = new ArrayList<>(receive(revoked, 2));
		items.addAll(receive(assigned, 3));
		revoked.revoke();
		RecordHandler handler = handler(true, (item) -> false);

		CallOutcome outcome = handler.handle(items);

		assertThat(outcome.isPutBack()).isFalse();
		assertThat(this.invoked).extracting(ConsumerRecord::partition).containsExactly(1, 1, 1);
		assertThat(assigned.committableOffset()).isEqualTo(3);
		assertThat(revoked.committableOffset()).isZero();
		assertThat(revoked.inFlight()).isZero();
		assertThat(assigned.inFlight()).isZero();
	}

	/**
	 * A SERIAL lane's chunk of single records may span partitions: a revoked one's
	 * records are abandoned, the others still run (returning at the first revoked record
	 * left them neither run nor put back, and their partition's commits stuck below
	 * them).
	 */
	@Test
	void aChunkOfSingleRecordsRunsTheRecordsOfPartitionsStillAssigned() {
		PartitionOffsets revoked = new PartitionOffsets(P0);
		PartitionOffsets assigned = new PartitionOffsets(P1);
		List<WorkItem> items = new ArrayList<>(receive(revoked, 1));
		items.addAll(receive(assigned, 2));
		revoked.revoke();

		CallOutcome outcome = handler(false, (item) -> false).handle(items);

		assertThat(outcome.isPutBack()).isFalse();
		assertThat(this.invoked).extracting(ConsumerRecord::partition).containsExactly(1, 1);
		assertThat(assigned.committableOffset()).isEqualTo(2);
	}

	/**
	 * A batch call whose partitions were all revoked runs nothing.
	 */
	@Test
	void aBatchCallOfRevokedPartitionsRunsNothing() {
		PartitionOffsets revoked = new PartitionOffsets(P0);
		List<WorkItem> items = receive(revoked, 2);
		revoked.revoke();

		CallOutcome outcome = handler(true, (item) -> false).handle(items);

		assertThat(outcome.isPutBack()).isFalse();
		assertThat(this.invoked).isEmpty();
	}

	/**
	 * An observation handler that throws when the call's observation starts leaves the
	 * record noted in flight no more than a failing call does: a revocation would wait
	 * for it until its timeout, and its partition's commits would stay below it.
	 */
	@Test
	void aFailingObservationHandlerLeavesNothingInFlight() throws Exception {
		PartitionOffsets partition = new PartitionOffsets(P0);
		List<WorkItem> items = receive(partition, 1);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStart(Observation.Context context) {
				throw new IllegalStateException("a broken observation handler");
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		RecordHandler handler = handler(false, (item) -> false, (records) -> {
		}, new CallObservations(registry, null));

		assertThatIllegalStateException().isThrownBy(() -> handler.handle(items))
			.withMessage("a broken observation handler");

		assertThat(this.invoked).isEmpty();
		assertThat(partition.inFlight()).isZero();
		revokeAndAwaitInFlight(partition);
	}

	// What the consumer thread does on a revocation before it commits.
	private static void revokeAndAwaitInFlight(PartitionOffsets partition) {
		partition.revoke();
		try {
			assertThat(partition.awaitNothingInFlight(Duration.ZERO)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<WorkItem> receive(PartitionOffsets partition, int count) {
		List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
		for (int offset = 0; offset < count; offset++) {
			records.add(new ConsumerRecord<>(partition.topicPartition().topic(), partition.topicPartition().partition(),
					offset, "key", "value"));
		}
		return WorkItem.receive(partition, records);
	}

	private RecordHandler handler(boolean batch, Predicate<WorkItem> held) {
		return handler(batch, held, (records) -> {
		});
	}

	private RecordHandler handler(boolean batch, Predicate<WorkItem> held, InvocationStep inCall) {
		return handler(batch, held, inCall, CallObservations.NONE);
	}

	private RecordHandler handler(boolean batch, Predicate<WorkItem> held, InvocationStep inCall,
			CallObservations observations) {
		WorkerRetryPolicy retry = new WorkerRetryPolicy(1, new FixedBackOff(0, 0), List.of());
		LaneScheduler<WorkItem> scheduler = new LaneScheduler<>(1, 1, this.executor, (items) -> CallOutcome.DONE);
		WorkerEvents events = new WorkerEvents((event) -> {
		});
		FreezeRegistry freezes = new FreezeRegistry(
				"orders-worker", new FailureSettings(FailurePolicy.FREEZE, retry, FreezeScope.PARTITION, null, 100,
						null, "-dlt", false, Duration.ofSeconds(1)),
				Ordering.KEY, scheduler, new PartitionPauses(), events, null);
		FailureActions failureActions = new FailureActions("orders-worker", FailurePolicy.FREEZE, Ordering.KEY,
				scheduler, freezes, null, events, () -> {
				}, WorkerObserver.NONE, (items) -> {
				});
		Backpressure backpressure = new Backpressure(1000, new Backpressure.PauseControl() {

			@Override
			public void pause(TopicPartition partition) {
			}

			@Override
			public void resume(TopicPartition partition) {
			}

		});
		HandlerInvocation invocation = (records) -> {
			inCall.run(records);
			records.forEach((item) -> this.invoked.add(item.record()));
			return null;
		};
		DeliveryGuarantee delivery = new DeliveryGuarantee() {

			@Override
			public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
				throw new UnsupportedOperationException();
			}

			@Override
			public CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
				return null;
			}

		};
		return new RecordHandler("orders-worker", "orders", retry, batch, invocation, backpressure, failureActions,
				held, WorkerObserver.NONE, CallInterceptors.NONE, observations, delivery, Clock.systemUTC());
	}

	@FunctionalInterface
	private interface InvocationStep {

		void run(List<WorkItem> records) throws Exception;

	}

}
