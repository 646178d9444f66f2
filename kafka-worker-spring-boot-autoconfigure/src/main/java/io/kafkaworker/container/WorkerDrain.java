package io.kafkaworker.container;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The graceful shutdown of one worker, in order: stop fetching, finish records, commit on
 * the consumer threads with the commit timeout, leave the group. Every step is bounded by
 * one deadline; waiting for records ends early enough to leave part of it to the commit
 * and the leave, and the consumers' revocation as they close does not wait again for the
 * calls still running, so the worker always commits what it finished and leaves its
 * group.
 *
 * <p>
 * With {@link DrainMode#IN_FLIGHT}, the drain holds every record that has not started,
 * waits for the running calls, then lets run only the records below the highest finished
 * offset of each partition (the gaps that out-of-order modes leave). The commit then
 * covers exactly the records that were handled, so a restart handles nothing twice and
 * loses nothing.
 */
final class WorkerDrain {

	private static final Log logger = LogFactory.getLog(WorkerDrain.class);

	private static final Duration PAUSE_WAIT = Duration.ofSeconds(5);

	private static final Duration MIN_COMMIT_RESERVE = Duration.ofSeconds(1);

	// Between attempts of a commit that a rebalance refused: the request runs before the
	// consumer's next poll anyway; the pause only keeps a long rebalance from spinning.
	private static final Duration REBALANCE_WAIT = Duration.ofMillis(50);

	private static final int MAX_REBALANCE_ATTEMPTS = 200;

	private static final Object HOLD_ALL = new Object();

	private static final Object HOLD_ABOVE_CUT = new Object();

	private final Worker worker;

	private final DrainMode mode;

	private final long deadline;

	// When waiting for records ends: the last part of the timeout is kept for the commit
	// and for leaving the group, so that a call slower than the drain (a stuck handler)
	// can cost neither the commit of everything else that finished nor a clean leave (a
	// member that does not leave holds its partitions until its session times out).
	private final long recordsDeadline;

	WorkerDrain(Worker worker, DrainMode mode, Duration timeout) {
		this.worker = worker;
		// At-most-once committed its fetched records before handling them: leaving them
		// unhandled would lose them, so it finishes them all.
		// At-most-once committed what was fetched; a transaction commits only when all
		// of its records finished: both finish everything fetched.
		this.mode = worker.delivery().drainsAllFetched() ? DrainMode.ALL : mode;
		this.deadline = System.nanoTime() + timeout.toNanos();
		this.recordsDeadline = this.deadline - commitReserve(timeout, worker.settings().commitTimeout()).toNanos();
	}

	// A fifth of the timeout, at least a second and at most the commit timeout (a commit
	// and a leave normally take milliseconds; the reserve also covers a rebalance's
	// retries of the commit).
	static Duration commitReserve(Duration timeout, Duration commitTimeout) {
		Duration fifth = timeout.dividedBy(5);
		Duration reserve = (fifth.compareTo(MIN_COMMIT_RESERVE) < 0) ? MIN_COMMIT_RESERVE : fifth;
		reserve = (reserve.compareTo(commitTimeout) > 0) ? commitTimeout : reserve;
		return (reserve.compareTo(timeout) > 0) ? timeout : reserve;
	}

	/**
	 * Run the shutdown. Returns when the worker left its group or the time is up.
	 * @throws InterruptedException if the thread is interrupted
	 */
	void run() throws InterruptedException {
		MessageListenerContainer container = this.worker.listenerContainer();
		if (container == null || !container.isRunning()) {
			return;
		}
		String id = this.worker.id();
		long started = System.nanoTime();
		LaneScheduler<WorkItem> scheduler = this.worker.scheduler();
		container.pause();
		this.worker.handler().startDraining();
		// The consumers' closing revokes the partitions: it must not wait again for calls
		// the drain stopped waiting for.
		this.worker.revocationWait().cutAt(this.recordsDeadline);
		boolean share = this.worker.settings().shareGroup();
		Map<TopicPartition, Long> committed;
		int left;
		try {
			if (this.mode == DrainMode.IN_FLIGHT) {
				scheduler.hold(HOLD_ALL, (item) -> true);
			}
			else {
				// Finishing everything means nothing may arrive after the lanes
				// went idle.
				awaitPaused(container);
			}
			boolean finished = awaitIdle(scheduler);
			if (finished && this.mode == DrainMode.IN_FLIGHT) {
				finished = finishGaps(scheduler);
			}
			if (!finished) {
				logger.warn("Worker '" + id + "' did not finish its in-flight records within the shutdown timeout; "
						+ (share ? "it acknowledges what finished, and the rest is released to the share group"
								: "it commits what finished, and the rest is redelivered after restart"));
			}
			committed = commit();
			left = scheduler.snapshot().bufferedItems();
			stop(container);
		}
		catch (InterruptedException | RuntimeException ex) {
			// Cut short: the worker is left as it was before the drain, so that
			// it neither holds its records nor skips revocation waits if it keeps
			// running.
			restore(container);
			throw ex;
		}
		long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
		if (share) {
			// A share group has no offsets: each record was acknowledged on its own.
			logger.info("Worker '" + id + "' shut down in " + took + " ms (drain " + this.mode
					+ "): acknowledged what finished; " + left
					+ " fetched records were not started and are released to the share group's other members");
			return;
		}
		logger.info("Worker '" + id + "' shut down in " + took + " ms (drain " + this.mode + "): committed "
				+ (committed.isEmpty() ? "nothing new since the last assignment" : committed) + "; " + left
				+ " fetched records were not started and are redelivered after restart");
	}

	// Let the records below each partition's highest finished offset run, and wait for
	// them. Nothing above that offset has started, so afterwards the committable offset
	// of every partition is just past the last record handled.
	private boolean finishGaps(LaneScheduler<WorkItem> scheduler) throws InterruptedException {
		Map<PartitionOffsets, Long> cuts = new IdentityHashMap<>();
		for (ConsumerSession session : this.worker.sessions()) {
			for (PartitionOffsets partition : session.partitions()) {
				cuts.put(partition, partition.lastCompletedOffset());
			}
		}
		scheduler.hold(HOLD_ABOVE_CUT, (item) -> item.record().offset() > cuts.getOrDefault(item.partition(), -1L));
		scheduler.unhold(HOLD_ALL);
		return awaitIdle(scheduler);
	}

	// Idle lanes, and no record left in flight: a record whose handler returned may still
	// wait for its group-table write to be acknowledged before it completes.
	private boolean awaitIdle(LaneScheduler<WorkItem> scheduler) throws InterruptedException {
		if (!scheduler.awaitIdle(remainingForRecords())) {
			return false;
		}
		for (ConsumerSession session : this.worker.sessions()) {
			for (PartitionOffsets partition : session.partitions()) {
				if (!partition.awaitNothingInFlight(remainingForRecords())) {
					return false;
				}
			}
		}
		return true;
	}

	private Map<TopicPartition, Long> commit() throws InterruptedException {
		Map<TopicPartition, Long> committed = new TreeMap<>((a, b) -> (a.topic().equals(b.topic()))
				? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
		for (ConsumerSession session : this.worker.sessions()) {
			commit(session, committed);
		}
		return committed;
	}

	// Instances stopping together make their group rebalance, and the classic protocol
	// refuses commits until the consumer rejoined in its next poll (the paused container
	// keeps polling). A consumer closing during a rebalance loses its partitions without
	// committing, so the drain tries again after each poll while time remains: otherwise
	// every record finished since the last periodic commit would run again.
	private void commit(ConsumerSession session, Map<TopicPartition, Long> committed) throws InterruptedException {
		for (int attempt = 1;; attempt++) {
			try {
				committed.putAll(session.commitNow().get(remaining().toNanos(), TimeUnit.NANOSECONDS));
				return;
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RebalanceInProgressException && remaining().compareTo(REBALANCE_WAIT) > 0
						&& attempt < MAX_REBALANCE_ATTEMPTS) {
					Thread.sleep(REBALANCE_WAIT.toMillis());
					continue;
				}
				logger.warn("Worker '" + this.worker.id() + "' could not commit before leaving its group ("
						+ ex.getCause() + "); its consumers commit again as they close");
				return;
			}
			catch (TimeoutException ex) {
				logger.warn("Worker '" + this.worker.id() + "' could not commit before leaving its group (timed out); "
						+ "its consumers commit again as they close");
				return;
			}
		}
	}

	// A consumer pauses before its next poll, within the poll timeout; one without
	// partitions never reports paused, and has nothing to deliver.
	private void awaitPaused(MessageListenerContainer container) throws InterruptedException {
		long until = System.nanoTime() + Math.min(remainingForRecords().toNanos(), PAUSE_WAIT.toNanos());
		while (!container.isContainerPaused() && hasPartitions() && System.nanoTime() - until < 0) {
			Thread.sleep(10);
		}
	}

	private boolean hasPartitions() {
		for (ConsumerSession session : this.worker.sessions()) {
			if (session.hasPartitions()) {
				return true;
			}
		}
		return false;
	}

	// Leave the group: the consumers close, which commits once more (nothing new) and
	// releases the partitions.
	private void stop(MessageListenerContainer container) throws InterruptedException {
		CountDownLatch stopped = new CountDownLatch(1);
		// Restored when the container has stopped, even after this drain stopped waiting
		// for it: the consumers released their partitions and dropped what was held, and
		// a context that starts again finds the worker as it was before the drain.
		container.stop(() -> {
			restore(container);
			stopped.countDown();
		});
		if (!stopped.await(remaining().toNanos(), TimeUnit.NANOSECONDS)) {
			logger.warn("Worker '" + this.worker.id() + "' has not left its group within the shutdown timeout");
		}
	}

	private void restore(MessageListenerContainer container) {
		container.resume();
		this.worker.scheduler().unhold(HOLD_ABOVE_CUT);
		this.worker.scheduler().unhold(HOLD_ALL);
		this.worker.handler().stopDraining();
		this.worker.revocationWait().restore();
	}

	private Duration remaining() {
		return Duration.ofNanos(Math.max(0, this.deadline - System.nanoTime()));
	}

	private Duration remainingForRecords() {
		return Duration.ofNanos(Math.max(0, this.recordsDeadline - System.nanoTime()));
	}

}
