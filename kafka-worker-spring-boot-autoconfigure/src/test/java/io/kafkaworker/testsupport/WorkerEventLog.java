package io.kafkaworker.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.kafkaworker.event.KafkaWorkerEvent;
import io.kafkaworker.event.PartitionsAssignedEvent;
import io.kafkaworker.event.PartitionsRevokedEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.ApplicationListener;

/**
 * Records the events of the workers of one or more application contexts (add it with
 * {@code SpringApplicationBuilder.listeners}). For a revocation it also reads, on the
 * consumer thread that publishes the event and so before any other member can own the
 * partitions, the group's committed offsets of the revoked partitions: the offsets the
 * revocation committed. A test may also act on each event as it is published, before the
 * offsets are read.
 */
public final class WorkerEventLog implements ApplicationListener<KafkaWorkerEvent>, AutoCloseable {

	private final String groupId;

	private final Admin admin = Broker.admin();

	private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());

	private final BiConsumer<KafkaWorkerEvent, WorkerEventLog> onEvent;

	/**
	 * Create a log.
	 * @param groupId the group whose offsets a revocation reads
	 */
	public WorkerEventLog(String groupId) {
		this(groupId, (event, log) -> {
		});
	}

	/**
	 * Create a log that also hands each event to a callback, on the publishing thread,
	 * before it reads any offsets.
	 * @param groupId the group whose offsets a revocation reads
	 * @param onEvent told about each event, with this log (to read offsets)
	 */
	public WorkerEventLog(String groupId, BiConsumer<KafkaWorkerEvent, WorkerEventLog> onEvent) {
		this.groupId = groupId;
		this.onEvent = onEvent;
	}

	@Override
	public void onApplicationEvent(KafkaWorkerEvent event) {
		this.onEvent.accept(event, this);
		Map<TopicPartition, Long> committed = Map.of();
		if (event instanceof PartitionsRevokedEvent revoked && !revoked.isLost()) {
			committed = committed(revoked.getPartitions());
		}

		this.entries.add(new Entry(event, committed));
	}

	/**
	 * Read the group's committed offsets now.
	 * @param partitions the partitions
	 * @return the committed offset of each partition, -1 for none
	 */
	public Map<TopicPartition, Long> committed(List<TopicPartition> partitions) {
		try {
			Map<TopicPartition, OffsetAndMetadata> all = this.admin.listConsumerGroupOffsets(this.groupId)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			Map<TopicPartition, Long> committed = new HashMap<>();
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = all.get(partition);
				committed.put(partition, (offset != null) ? offset.offset() : -1L);
			}
			return committed;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read the offsets of group " + this.groupId, ex);
		}
	}

	/**
	 * Return the entries so far.
	 * @return the entries, in the order they were published
	 */
	public List<Entry> entries() {
		synchronized (this.entries) {
			return List.copyOf(this.entries);
		}
	}

	/**
	 * Return the revocations so far (lost partitions included).
	 * @return the revocation entries
	 */
	public List<Entry> revocations() {
		return entries().stream().filter((entry) -> entry.event() instanceof PartitionsRevokedEvent).toList();
	}

	/**
	 * Return the assignments so far.
	 * @return the assignment entries
	 */
	public List<Entry> assignments() {
		return entries().stream().filter((entry) -> entry.event() instanceof PartitionsAssignedEvent).toList();
	}

	@Override
	public void close() {
		this.admin.close();
	}

	/**
	 * One event.
	 *
	 * @param event the event
	 * @param committed for a revocation (not a loss), the group's committed offset of
	 * each revoked partition right after it (-1 for none); empty otherwise
	 */
	public record Entry(KafkaWorkerEvent event, Map<TopicPartition, Long> committed) {

	}

}
