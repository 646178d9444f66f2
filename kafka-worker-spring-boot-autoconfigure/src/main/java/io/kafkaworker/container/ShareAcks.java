package io.kafkaworker.container;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.delivery.ShareOutcomes;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * Routes the records a share-group worker's calls finished, from lane threads, to the
 * session of the consumer that fetched them: each poll's records of a partition have a
 * progress of their own, registered here by their session until it ends. Records of a
 * session that ended were released when it closed, and are ignored. Also decides how a
 * finished record is acknowledged.
 */
final class ShareAcks implements ShareOutcomes {

	private final Map<PartitionOffsets, ShareSession> sessions = new ConcurrentHashMap<>();

	private final boolean rejectExhausted;

	// Records whose attempts were exhausted, from the failure policy on lane threads,
	// until they are acknowledged; only kept when they are to be rejected.
	private final Set<WorkItem> exhausted = ConcurrentHashMap.newKeySet();

	/**
	 * Create the routing of one worker.
	 * @param rejectExhausted whether records whose attempts were exhausted are
	 * acknowledged REJECT rather than ACCEPT once complete
	 */
	ShareAcks(boolean rejectExhausted) {
		this.rejectExhausted = rejectExhausted;
	}

	void register(PartitionOffsets partition, ShareSession session) {
		this.sessions.put(partition, session);
	}

	void unregister(PartitionOffsets partition) {
		this.sessions.remove(partition);
		if (!this.exhausted.isEmpty()) {
			this.exhausted.removeIf((item) -> item.partition() == partition);
		}
	}

	/**
	 * Hear, on a lane thread, that the failure policy takes over records whose attempts
	 * were exhausted, before they finish.
	 * @param items the records
	 */
	void exhausted(List<WorkItem> items) {
		if (this.rejectExhausted) {
			this.exhausted.addAll(items);
		}
	}

	/**
	 * Return how to acknowledge a finished record, once.
	 * @param item the record
	 * @return {@code ACCEPT} when it is complete, or {@code REJECT} when it is complete
	 * after its attempts were exhausted and such records are rejected; RELEASE when it is
	 * not complete, for the broker to deliver it again
	 */
	AcknowledgeType acknowledgement(WorkItem item) {
		boolean exhausted = this.exhausted.remove(item);
		if (!item.partition().isComplete(item.sequence())) {
			return AcknowledgeType.RELEASE;
		}
		return exhausted ? AcknowledgeType.REJECT : AcknowledgeType.ACCEPT;
	}

	@Override
	public void finished(List<WorkItem> items) {
		for (WorkItem item : items) {
			ShareSession session = this.sessions.get(item.partition());
			if (session != null) {
				session.finished(item);
			}
		}
	}

}
