package io.kafkaworker.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.kafkaworker.container.HandlerInvocation;
import io.kafkaworker.container.InvocationDecorator;
import io.kafkaworker.dispatch.WorkItem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionOperations;

/**
 * The inbox of one worker. Each attempt of a handler call is one database transaction: it
 * first records the call's records in the inbox table, then calls the handler with those
 * that were not there yet, so the handler's own writes commit or roll back together with
 * the proof that the records were applied. A record redelivered after a crash (offsets
 * are committed after the transaction, as with at-least-once) is found in the table and
 * not passed to the handler again.
 * <p>
 * Two instances racing for the same record after a rebalance both insert its row; the
 * primary key makes one of them fail, roll back and retry, and the retry finds the row
 * and skips the record. After each offset commit, the rows below the committed offsets
 * are pruned asynchronously, leaving a mark that every record below was applied: a
 * consumer that was stopped while its partition moved on (a zombie) and wakes up with
 * records below it skips them rather than apply them again.
 */
public final class JdbcInbox implements InvocationDecorator {

	private static final Log logger = LogFactory.getLog(JdbcInbox.class);

	private final String workerId;

	private final String groupId;

	private final InboxTable table;

	private final TransactionOperations transactions;

	private final InboxPruner pruner;

	/**
	 * Create a worker's inbox.
	 * @param workerId the worker id, for messages
	 * @param groupId the worker's consumer group, part of each row's key
	 * @param table the inbox table
	 * @param transactions runs each attempt in a transaction of the database that holds
	 * the table, joining one that is already active
	 * @param pruner deletes rows below committed offsets
	 */
	public JdbcInbox(String workerId, String groupId, InboxTable table, TransactionOperations transactions,
			InboxPruner pruner) {
		this.workerId = workerId;
		this.groupId = groupId;
		this.table = table;
		this.transactions = transactions;
		this.pruner = pruner;
	}

	@Override
	public HandlerInvocation decorate(HandlerInvocation invocation) {
		return (records) -> attempt(invocation, records);
	}

	@Override
	public void committed(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
		this.pruner.prune(groupId, offsets);
	}

	// One attempt in one transaction. A checked exception of the handler leaves the
	// callback wrapped, rolls the transaction back and is unwrapped again, so that the
	// retry policy sees what the handler threw.
	private @Nullable CompletableFuture<?> attempt(HandlerInvocation invocation, List<WorkItem> records)
			throws Exception {
		AtomicReference<@Nullable CompletableFuture<?>> durable = new AtomicReference<>();
		try {
			this.transactions.executeWithoutResult((status) -> {
				List<WorkItem> fresh = claim(records);
				if (fresh.isEmpty()) {
					return;
				}
				try {
					durable.set(invocation.invoke(fresh));
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new CheckedHandlerException(ex);
				}
			});
		}
		catch (CheckedHandlerException ex) {
			throw ex.handlerException;
		}
		return durable.get();
	}

	// Inserts the rows of the records not yet in the inbox and returns those records, in
	// their order; the rest were applied by an earlier transaction and are skipped.
	private List<WorkItem> claim(List<WorkItem> records) {
		Map<TopicPartition, List<WorkItem>> byPartition = new LinkedHashMap<>();
		for (WorkItem item : records) {
			byPartition
				.computeIfAbsent(new TopicPartition(item.record().topic(), item.record().partition()),
						(partition) -> new ArrayList<>())
				.add(item);
		}
		List<WorkItem> skipped = new ArrayList<>();
		for (Map.Entry<TopicPartition, List<WorkItem>> entry : byPartition.entrySet()) {
			TopicPartition partition = entry.getKey();
			List<WorkItem> items = entry.getValue();
			long from = Long.MAX_VALUE;
			long to = Long.MIN_VALUE;
			for (WorkItem item : items) {
				from = Math.min(from, item.record().offset());
				to = Math.max(to, item.record().offset());
			}
			InboxTable.Applied applied = this.table.applied(this.groupId, partition.topic(), partition.partition(),
					from, to);
			List<Long> offsets = new ArrayList<>(items.size());
			int belowPruned = 0;
			for (WorkItem item : items) {
				if (applied.contains(item.record().offset())) {
					skipped.add(item);
					belowPruned += (item.record().offset() < applied.prunedBelow()) ? 1 : 0;
				}
				else {
					offsets.add(item.record().offset());
				}
			}
			if (belowPruned > 0) {
				// One line per partition of a call: a replay may bring thousands.
				logger.info("Worker '" + this.workerId + "' skips " + belowPruned + " records of " + partition
						+ " below offset " + applied.prunedBelow() + ": its group committed that offset before, and "
						+ "the inbox pruned them as applied (this consumer held them after their partition moved on, "
						+ "or the group's offsets were moved back)");
			}
			if (!offsets.isEmpty()) {
				this.table.insert(this.groupId, partition.topic(), partition.partition(), offsets);
				skipped.addAll(prunedMeanwhile(partition, items, applied));
			}
		}
		if (skipped.isEmpty()) {
			return records;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Worker '" + this.workerId + "' skips " + skipped + ": already applied (inbox "
					+ this.table.name() + ")");
		}
		List<WorkItem> fresh = new ArrayList<>(records);
		fresh.removeAll(skipped);
		return fresh;
	}

	// The rows of another owner can be pruned between this transaction's read and its
	// insert (a consumer stopped in between, whose partition moved on): the insert then
	// meets no row, and only the prune's mark, read again after the insert, tells that
	// the records were applied. Read after the insert, the mark cannot be missed: a
	// prune that commits its mark later deletes the owner's rows later too, so the
	// insert met them and failed on the primary key.
	private List<WorkItem> prunedMeanwhile(TopicPartition partition, List<WorkItem> items,
			InboxTable.Applied readBefore) {
		long prunedBelow = this.table.prunedBelow(this.groupId, partition.topic(), partition.partition());
		List<WorkItem> applied = new ArrayList<>();
		for (WorkItem item : items) {
			long offset = item.record().offset();
			if (offset < prunedBelow && !readBefore.contains(offset)) {
				applied.add(item);
			}
		}
		if (applied.isEmpty()) {
			return applied;
		}
		logger.info("Worker '" + this.workerId + "' skips " + applied.size() + " records of " + partition
				+ " below offset " + prunedBelow + ": the inbox pruned them as applied while this consumer "
				+ "claimed them (it held them after their partition moved on)");
		return applied;
	}

	/**
	 * Carries a checked exception of the handler out of the transaction callback, which
	 * rolls back for it as for any runtime exception.
	 */
	private static final class CheckedHandlerException extends RuntimeException {

		private final Exception handlerException;

		CheckedHandlerException(Exception handlerException) {
			super(handlerException);
			this.handlerException = handlerException;
		}

	}

}
