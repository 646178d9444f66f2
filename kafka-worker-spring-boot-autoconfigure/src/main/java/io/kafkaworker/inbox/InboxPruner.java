package io.kafkaworker.inbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Deletes inbox rows below committed offsets, off the consumer thread. Requests are
 * coalesced: per partition only the highest committed offset waits, and at most one drain
 * is queued, so a database slower than the commits costs no memory growth and never
 * delays a consumer.
 * <p>
 * Deleting below a committed offset is safe because the group resumes at its committed
 * offsets, and the table keeps a mark of where it was pruned: a record below it that
 * still arrives (a consumer woken after its partition moved on, or offsets moved back by
 * an operator) counts as applied and is skipped.
 */
public final class InboxPruner {

	private static final Log logger = LogFactory.getLog(InboxPruner.class);

	private final String workerId;

	private final InboxTable table;

	private final Executor executor;

	private final Map<Key, Long> pending = new ConcurrentHashMap<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	/**
	 * Create a pruner.
	 * @param workerId the worker id, for messages
	 * @param table the inbox table
	 * @param executor runs the deletes
	 */
	public InboxPruner(String workerId, InboxTable table, Executor executor) {
		this.workerId = workerId;
		this.table = table;
		this.executor = executor;
	}

	/**
	 * Ask for the rows below committed offsets to be deleted. Does not block.
	 * @param groupId the consumer group
	 * @param offsets the committed offsets
	 */
	public void prune(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
		offsets.forEach(
				(partition, offset) -> this.pending.merge(new Key(groupId, partition), offset.offset(), Math::max));
		if (this.scheduled.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the rows are pruned after a later commit.
				this.scheduled.set(false);
			}
		}
	}

	// Cleared before reading, so that a request arriving during the drain queues another.
	private void drain() {
		this.scheduled.set(false);
		for (Key key : this.pending.keySet()) {
			Long below = this.pending.remove(key);
			if (below == null) {
				continue;
			}
			try {
				int deleted = this.table.prune(key.groupId(), key.partition().topic(), key.partition().partition(),
						below);
				if (logger.isTraceEnabled()) {
					logger.trace("Worker '" + this.workerId + "' pruned " + deleted + " inbox rows of "
							+ key.partition() + " below " + below);
				}
			}
			catch (RuntimeException ex) {
				// The rows stay until the next commit of the partition prunes them.
				logger.warn("Worker '" + this.workerId + "' could not prune inbox rows of " + key.partition()
						+ " below offset " + below + ": " + ex);
			}
		}
	}

	private record Key(String groupId, TopicPartition partition) {
	}

}
