package io.kafkaworker.failure;

import java.util.List;
import java.util.function.Consumer;

import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.event.RecordFailedEvent;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A worker's failure policy, written once for every delivery guarantee: what happens to
 * records whose handler still fails after their retries (skip, dead-letter, freeze, stop)
 * with its log lines, events and counts. Delivery guarantees differ only in how a record
 * runs again before that: in place ({@link #applyInPlace}, on the lane thread), or by
 * aborting and re-running a transactional unit, which applies the same actions when the
 * exhausted record comes round again. Nothing here loses a record: a dead letter that
 * cannot be published freezes the record instead.
 */
public final class FailureActions {

	private static final Log logger = LogFactory.getLog(FailureActions.class);

	private final String workerId;

	private final FailurePolicy policy;

	private final Ordering ordering;

	private final LaneScheduler<WorkItem> scheduler;

	private final FreezeRegistry freezes;

	private final @Nullable DeadLetterPublisher deadLetters;

	private final WorkerEvents events;

	private final Runnable stopWorker;

	private final WorkerObserver observer;

	private final Consumer<List<WorkItem>> exhaustedListener;

	/**
	 * Create the failure policy of one worker.
	 * @param workerId the worker
	 * @param policy what happens once retries are exhausted
	 * @param ordering the worker's mode, which names a record's lane
	 * @param scheduler the worker's lanes
	 * @param freezes the worker's freezes
	 * @param deadLetters the worker's dead-letter publisher, or null if it has none
	 * @param events publishes the worker's events
	 * @param stopWorker stops the worker, from any thread but a lane thread's call
	 * @param observer told about the records' outcomes
	 * @param exhaustedListener told about records whose attempts were exhausted, before
	 * the policy applies (a share-group worker may reject them once complete)
	 */
	public FailureActions(String workerId, FailurePolicy policy, Ordering ordering, LaneScheduler<WorkItem> scheduler,
			FreezeRegistry freezes, @Nullable DeadLetterPublisher deadLetters, WorkerEvents events, Runnable stopWorker,
			WorkerObserver observer, Consumer<List<WorkItem>> exhaustedListener) {
		this.workerId = workerId;
		this.policy = policy;
		this.ordering = ordering;
		this.scheduler = scheduler;
		this.freezes = freezes;
		this.deadLetters = deadLetters;
		this.events = events;
		this.stopWorker = stopWorker;
		this.observer = observer;
		this.exhaustedListener = exhaustedListener;
	}

	/**
	 * Note a failed attempt that will run again.
	 * @param records the records of the attempt
	 */
	public void retrying(List<WorkItem> records) {
		count(records, RecordOutcome.RETRY);
	}

	/**
	 * Report records whose retries are exhausted, and return the policy that applies to
	 * them.
	 * @param records the records of the failed call
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @return the worker's on-failure policy
	 */
	public FailurePolicy exhausted(List<WorkItem> records, Throwable failure, int attempts) {
		this.exhaustedListener.accept(records);
		for (WorkItem item : records) {
			this.events.publish(new RecordFailedEvent(this.events.source(), this.workerId, item.record(), failure,
					attempts, this.policy));
		}
		return this.policy;
	}

	/**
	 * Apply the failure policy on the lane thread to records retried in place until their
	 * retries were exhausted.
	 * @param records the records of the failed call
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @return what the lane does next
	 */
	public CallOutcome applyInPlace(List<WorkItem> records, Throwable failure, int attempts) {
		return switch (exhausted(records, failure, attempts)) {
			case SKIP -> {
				skip(records, failure, attempts);
				yield CallOutcome.DONE;
			}
			case DEAD_LETTER ->
				deadLetter(records, failure, attempts) ? CallOutcome.DONE : freezeLane(records, failure, attempts);
			case STOP -> CallOutcome.haltThen(stop(records, failure, attempts));
			case FREEZE -> freezeLane(records, failure, attempts);
		};
	}

	/**
	 * Skip records: complete them without handling them.
	 * @param records the records
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 */
	public void skip(List<WorkItem> records, Throwable failure, int attempts) {
		logger.error("Worker '" + this.workerId + "' skipped " + describe(records) + " after " + attempts
				+ " attempts (on-failure SKIP)", failure);
		records.forEach(WorkItem::complete);
		count(records, RecordOutcome.SKIPPED);
	}

	/**
	 * Publish records to the dead-letter topic and complete them once the broker
	 * acknowledged them.
	 * @param records the records
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @return false if they could not be published: they are not complete, and the caller
	 * freezes them so nothing is lost
	 */
	public boolean deadLetter(List<WorkItem> records, Throwable failure, int attempts) {
		try {
			publishDeadLetters(records, failure, attempts);
		}
		catch (RuntimeException ex) {
			logger.error("Worker '" + this.workerId + "' could not publish " + describe(records)
					+ " to the dead-letter topic; freezing instead so nothing is lost", ex);
			return false;
		}
		deadLettered(records, failure, attempts);
		return true;
	}

	/**
	 * Report records that {@link #publishDeadLetters} published, and complete them.
	 * @param records the records
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 */
	public void deadLettered(List<WorkItem> records, Throwable failure, int attempts) {
		logger.warn("Worker '" + this.workerId + "' dead-lettered " + describe(records) + " after " + attempts
				+ " attempts: " + failure);
		records.forEach(WorkItem::complete);
		count(records, RecordOutcome.DEAD_LETTERED);
	}

	/**
	 * Log and count records that stop the worker, and return what stops it.
	 * @param records the records
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @return stops the worker; must not run on a lane thread's call
	 */
	public Runnable stop(List<WorkItem> records, Throwable failure, int attempts) {
		logger.error("Worker '" + this.workerId + "' is stopping (on-failure STOP): " + describe(records)
				+ " failed after " + attempts + " attempts; its offset stays uncommitted", failure);
		count(records, RecordOutcome.FAILURE);
		return this.stopWorker;
	}

	/**
	 * Stop the worker because the effects of records that their handler completed could
	 * not be made durable (a group table refused a write after the handler returned). The
	 * records stay incomplete, so no commit passes them, and the worker stops before
	 * anything else builds on the lost change: after a restart the table is restored from
	 * its topic and the records run again.
	 * @param records the records
	 * @param failure why the write failed
	 */
	public void stopForLostWrite(List<WorkItem> records, Throwable failure) {
		logger.error(
				"Worker '" + this.workerId + "' is stopping: the group table did not take the change of "
						+ describe(records) + "; its offset stays uncommitted and it runs again after a restart",
				failure);
		count(records, RecordOutcome.FAILURE);
		this.stopWorker.run();
	}

	/**
	 * Count records that freeze.
	 * @param records the records
	 */
	public void freezing(List<WorkItem> records) {
		count(records, RecordOutcome.FAILURE);
	}

	/**
	 * Publish records to the dead-letter topic, waiting for each acknowledgment.
	 * @param records the records
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @throws RuntimeException if one could not be published, or the worker has no
	 * dead-letter publisher
	 */
	public void publishDeadLetters(List<WorkItem> records, Throwable failure, int attempts) {
		DeadLetterPublisher publisher = this.deadLetters;
		if (publisher == null) {
			throw new IllegalStateException(
					"No dead-letter publisher: a KafkaTemplate bean is needed to publish to the dead-letter topic");
		}
		for (WorkItem item : records) {
			publisher.publish(item.record(), failure, attempts);
		}
	}

	/**
	 * Count records by topic.
	 * @param records the records
	 * @param outcome their outcome
	 */
	public void count(List<WorkItem> records, RecordOutcome outcome) {
		// Calls hold one topic's records except the single lane of SERIAL mode over
		// several topics: count each run of one topic.
		int start = 0;
		for (int i = 1; i <= records.size(); i++) {
			String topic = records.get(start).record().topic();
			if (i == records.size() || !records.get(i).record().topic().equals(topic)) {
				this.observer.recordsHandled(this.workerId, topic, outcome, i - start);
				start = i;
			}
		}
	}

	// Halt the lane with the records back at its head, then register the freeze, so an
	// operator who sees it always finds the lane in that state.
	private CallOutcome freezeLane(List<WorkItem> records, Throwable failure, int attempts) {
		freezing(records);
		WorkItem first = records.get(0);
		Object laneKey = this.ordering.laneKey(first.record(), first.partition().topicPartition());
		LaneFreeze hold = new LaneFreeze(this.scheduler, laneKey, records, failure, attempts, this);
		return CallOutcome.haltThen(() -> this.freezes.freezeLane(records, failure, attempts, hold));
	}

	private static String describe(List<WorkItem> records) {
		return (records.size() == 1) ? records.get(0).toString() : records.size() + " records " + records;
	}

}
