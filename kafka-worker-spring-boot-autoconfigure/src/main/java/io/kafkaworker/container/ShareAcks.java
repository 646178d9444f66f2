package io.kafkaworker.container;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.delivery.ShareOutcomes;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;

/**
 * Routes the records a share-group worker's calls finished, from lane threads, to the
 * session of the consumer that fetched them: each poll's records of a partition have a
 * progress of their own, registered here by their session until it ends. Records of a
 * session that ended were released when it closed, and are ignored.
 */
final class ShareAcks implements ShareOutcomes {

	private final Map<PartitionOffsets, ShareSession> sessions = new ConcurrentHashMap<>();

	void register(PartitionOffsets partition, ShareSession session) {
		this.sessions.put(partition, session);
	}

	void unregister(PartitionOffsets partition) {
		this.sessions.remove(partition);
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
