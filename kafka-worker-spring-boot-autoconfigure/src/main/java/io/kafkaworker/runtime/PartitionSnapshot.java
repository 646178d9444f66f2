package io.kafkaworker.runtime;

import java.util.List;

/**
 * The progress of one assigned partition at one moment. Offsets are -1 when unknown.
 *
 * @param topic the topic
 * @param partition the partition number
 * @param committedOffset the last offset this worker committed, or the offset it started
 * from until its first commit
 * @param committableOffset the offset that is safe to commit now
 * @param position the consumer's position: the next offset it fetches
 * @param endOffset the log-end offset, as of the last fetch
 * @param lag records between the committed offset and the log end
 * @param inFlight records inside handler calls
 * @param buffered records fetched and waiting for a handler
 * @param pausedFor why the partition is paused: BACKPRESSURE, FROZEN,
 * FROZEN_KEYS_BACKLOG; empty when it is fetched
 */
public record PartitionSnapshot(String topic, int partition, long committedOffset, long committableOffset,
		long position, long endOffset, long lag, int inFlight, int buffered, List<String> pausedFor) {

	/**
	 * Create a snapshot.
	 */
	public PartitionSnapshot {
		pausedFor = List.copyOf(pausedFor);
	}

}
