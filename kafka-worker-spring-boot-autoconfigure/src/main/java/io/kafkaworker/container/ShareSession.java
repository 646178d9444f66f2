package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

/**
 * One share consumer of a share-group worker and its poll loop, on its own thread: the
 * only thread that calls the consumer. Each poll's records are dispatched to the worker's
 * lanes like a consumer group's (PARALLEL: a non-exclusive lane per partition); lane
 * threads hand the records they finished back through a queue, and this thread
 * acknowledges them: complete records (handled, skipped or dead-lettered) as ACCEPT (or
 * REJECT for exhausted ones, when configured), the others as RELEASE, so the broker
 * delivers them again.
 *
 * <p>
 * Explicit acknowledgement forbids a poll while a record of the previous poll is not
 * acknowledged. So the loop polls when every record of the last poll is acknowledged, or,
 * while records still run (long handlers, in-place retries and their back-offs), every
 * third of the acquisition lock: it renews their locks (RENEW), which counts as their
 * acknowledgement, and polls; the broker returns renewed records again in a later poll,
 * where they are matched to the running records and not dispatched twice. A record that
 * finishes while renewed waits for its return to be acknowledged.
 *
 * <p>
 * Invariant: a record is acknowledged once, by the thread that polled it, with ACCEPT or
 * REJECT only if its progress says it is complete; a record the worker gives up (stop,
 * drain, close) is released, never accepted.
 */
final class ShareSession implements Runnable {

	private static final Log logger = LogFactory.getLog(ShareSession.class);

	private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final int DEFAULT_LOCK_MS = 30_000;

	private final String workerId;

	private final List<String> topics;

	private final ShareConsumer<Object, Object> consumer;

	private final Dispatcher dispatcher;

	private final LaneScheduler<WorkItem> scheduler;

	private final ShareAcks acks;

	private final WorkerObserver observer;

	private final Duration pollTimeout;

	private final Duration closeTimeout;

	private final ShareWorkerContainer container;

	// Lane threads to this thread.
	private final BlockingQueue<WorkItem> finished = new LinkedBlockingQueue<>();

	// The rest is this thread's: every record fetched and not yet acknowledged.
	private final Map<RecordId, Pending> pending = new HashMap<>();

	// Each poll's progress of a partition, with its records not yet acknowledged.
	private final Map<PartitionOffsets, Integer> progresses = new IdentityHashMap<>();

	// Records returned by the last poll (or returned again after a renewal) and not
	// acknowledged: the next poll waits for them.
	private int awaiting;

	private long renewAtNanos;

	private volatile long lastPollNanos = System.nanoTime();

	private volatile boolean polled;

	ShareSession(String workerId, List<String> topics, ShareConsumer<Object, Object> consumer, Worker worker,
			ShareAcks acks, WorkerObserver observer, Duration pollTimeout, Duration closeTimeout,
			ShareWorkerContainer container) {
		this.workerId = workerId;
		this.topics = List.copyOf(topics);
		this.consumer = consumer;
		this.dispatcher = worker.dispatcher();
		this.scheduler = worker.scheduler();
		this.acks = acks;
		this.observer = observer;
		this.pollTimeout = pollTimeout;
		this.closeTimeout = closeTimeout;
		this.container = container;
	}

	@Override
	public void run() {
		try {
			this.consumer.setAcknowledgementCommitCallback(this::committed);
			this.consumer.subscribe(this.topics);
			while (this.container.isRunning()) {
				acknowledgeFinished(waitNanos());
				if (this.awaiting == 0 && mayPoll()) {
					poll();
				}
				else if (this.awaiting > 0 && System.nanoTime() - this.renewAtNanos >= 0) {
					renew();
				}
			}
		}
		catch (WakeupException ex) {
			// Stopping.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.error("Worker '" + this.workerId + "': share consumer failed; its records are released", ex);
		}
		finally {
			close();
		}
	}

	/**
	 * Hand a record a call finished to this consumer's thread. Called on lane threads.
	 * @param item the record
	 */
	void finished(WorkItem item) {
		this.finished.add(item);
	}

	boolean hasPolled() {
		return this.polled;
	}

	Duration sinceLastPoll() {
		return Duration.ofNanos(System.nanoTime() - this.lastPollNanos);
	}

	// While paused (an operator, or a drain) nothing new is fetched; records renewed
	// earlier must still come back to be acknowledged.
	private boolean mayPoll() {
		return !this.container.isPauseRequested() || !this.pending.isEmpty();
	}

	private long waitNanos() {
		if (this.awaiting == 0 && mayPoll()) {
			return 0;
		}
		long untilRenewal = (this.awaiting > 0) ? this.renewAtNanos - System.nanoTime() : WAIT_STEP_NANOS;
		return Math.max(0, Math.min(untilRenewal, WAIT_STEP_NANOS));
	}

	private void acknowledgeFinished(long waitNanos) throws InterruptedException {
		WorkItem item = (waitNanos > 0) ? this.finished.poll(waitNanos, TimeUnit.NANOSECONDS) : this.finished.poll();
		while (item != null) {
			Pending record = this.pending.get(RecordId.of(item.record()));
			if (record != null && record.item == item) {
				record.outcome = this.acks.acknowledgement(item);
				if (record.awaiting) {
					acknowledge(record, record.outcome);
				}
			}
			item = this.finished.poll();
		}
	}

	private void poll() {
		ConsumerRecords<Object, Object> records = this.consumer.poll(this.pollTimeout);
		long now = System.nanoTime();
		this.lastPollNanos = now;
		this.polled = true;
		int lockMs = this.consumer.acquisitionLockTimeoutMs().orElse(DEFAULT_LOCK_MS);
		this.renewAtNanos = now + TimeUnit.MILLISECONDS.toNanos(lockMs / 3);
		forgetLapsed(now, lockMs);
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<Object, Object>> fresh = new ArrayList<>();
			for (ConsumerRecord<Object, Object> record : records.records(partition)) {
				Pending renewed = this.pending.get(RecordId.of(record));
				if (renewed == null) {
					fresh.add(record);
				}
				else {
					// Acknowledged through the record the latest poll returned.
					renewed.current = record;
					renewed.awaiting = true;
					this.awaiting++;
					if (renewed.outcome != null) {
						acknowledge(renewed, renewed.outcome);
					}
				}
			}
			if (!fresh.isEmpty()) {
				receive(partition, fresh);
			}
		}
	}

	private void receive(TopicPartition topicPartition, List<ConsumerRecord<Object, Object>> records) {
		PartitionOffsets progress = new PartitionOffsets(topicPartition);
		List<WorkItem> items = WorkItem.receive(progress, records);
		this.progresses.put(progress, items.size());
		this.acks.register(progress, this);
		List<Pending> received = new ArrayList<>(items.size());
		for (WorkItem item : items) {
			Pending record = new Pending(item);
			this.pending.put(RecordId.of(item.record()), record);
			received.add(record);
			this.awaiting++;
		}
		if (this.container.isPauseRequested()) {
			received.forEach((record) -> acknowledge(record, AcknowledgeType.RELEASE));
			return;
		}
		this.dispatcher.dispatch(topicPartition, items);
	}

	// Records still running when a third of the lock has passed keep it: RENEW counts as
	// their acknowledgement, so the next poll may run, and returns them again later.
	private void renew() {
		long now = System.nanoTime();
		int renewed = 0;
		for (Pending record : this.pending.values()) {
			if (record.awaiting && record.outcome == null) {
				this.consumer.acknowledge(record.current, AcknowledgeType.RENEW);
				record.awaiting = false;
				record.renewedNanos = now;
				this.awaiting--;
				renewed++;
			}
		}
		if (renewed > 0) {
			this.observer.shareLocksRenewed(this.workerId, renewed);
		}
		poll();
	}

	// A renewed record the broker did not return within twice its lock was lost (the
	// lock lapsed, or the partition's leader changed): another member gets it.
	private void forgetLapsed(long now, int lockMs) {
		long lapse = TimeUnit.MILLISECONDS.toNanos(2L * lockMs);
		Iterator<Pending> records = this.pending.values().iterator();
		while (records.hasNext()) {
			Pending record = records.next();
			if (!record.awaiting && now - record.renewedNanos > lapse) {
				records.remove();
				settled(record.item.partition());
				logger.warn("Worker '" + this.workerId + "': the lock of " + record.item
						+ " lapsed while it ran; the broker delivers it again");
			}
		}
	}

	private void acknowledge(Pending record, AcknowledgeType type) {
		ConsumerRecord<Object, Object> consumerRecord = record.current;
		this.consumer.acknowledge(consumerRecord, type);
		this.pending.remove(RecordId.of(consumerRecord));
		this.awaiting--;
		this.observer.shareAcknowledged(this.workerId, consumerRecord.topic(), type.name(),
				consumerRecord.deliveryCount().map(Short::intValue).orElse(1));
		settled(record.item.partition());
	}

	private void settled(PartitionOffsets progress) {
		Integer left = this.progresses.get(progress);
		if (left == null) {
			return;
		}
		if (left <= 1) {
			this.progresses.remove(progress);
			this.acks.unregister(progress);
		}
		else {
			this.progresses.put(progress, left - 1);
		}
	}

	private void committed(Map<TopicIdPartition, Set<Long>> offsets, @Nullable Exception failure) {
		if (failure != null) {
			logger.warn("Worker '" + this.workerId + "': the broker refused acknowledgements of " + offsets + " ("
					+ failure + "); those records are delivered again");
		}
	}

	// Nothing more starts: buffered records are dropped from the lanes and calls that
	// still run are abandoned (their progress is revoked); what finished is acknowledged,
	// everything else released, and the consumer commits and leaves.
	private void close() {
		Set<PartitionOffsets> mine = Collections.newSetFromMap(new IdentityHashMap<>());
		mine.addAll(this.progresses.keySet());
		mine.forEach(PartitionOffsets::revoke);
		this.scheduler.discard((item) -> mine.contains(item.partition()));
		try {
			acknowledgeFinished(0);
			for (Pending record : new ArrayList<>(this.pending.values())) {
				if (record.awaiting) {
					acknowledge(record, AcknowledgeType.RELEASE);
				}
			}
			this.consumer.commitSync(this.closeTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Worker '" + this.workerId + "': could not commit acknowledgements on close (" + ex
					+ "); unacknowledged records are delivered again when their locks expire");
		}
		finally {
			mine.forEach(this.acks::unregister);
			this.pending.clear();
			this.progresses.clear();
			try {
				this.consumer.close(this.closeTimeout);
			}
			catch (RuntimeException ex) {
				logger.warn("Worker '" + this.workerId + "': share consumer did not close cleanly (" + ex + ")");
			}
		}
	}

	private record RecordId(String topic, int partition, long offset) {

		static RecordId of(ConsumerRecord<?, ?> record) {
			return new RecordId(record.topic(), record.partition(), record.offset());
		}

	}

	private static final class Pending {

		final WorkItem item;

		ConsumerRecord<Object, Object> current;

		boolean awaiting = true;

		@Nullable AcknowledgeType outcome;

		long renewedNanos;

		Pending(WorkItem item) {
			this.item = item;
			this.current = item.record();
		}

	}

}
