package io.kafkaworker.delivery;

import java.util.Collection;
import java.util.List;

import io.kafkaworker.event.Resolution;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * How one consumer's progress is committed: the consumer session calls these hooks on the
 * consumer thread at fixed points of its cycle and never asks which protocol it runs.
 * Hooks with a default do nothing unless a protocol needs them.
 *
 * <p>
 * The session's cycle: {@link #admit} a poll, {@link #cut} each partition's records,
 * {@link #dispatching} each partition, dispatch, {@link #afterDispatch}; before every
 * poll {@link #beforePoll}. Partitions come with {@link #assigned}, then {@link #resumed}
 * once tracked; before a revocation or a seek moves positions the session calls
 * {@link #settle}, and when it lets partitions go {@link #released} then {@link #forget}
 * for each.
 */
public interface CommitProtocol {

	/**
	 * Decide whether a poll's records may be tracked and dispatched.
	 * @param records the poll's records
	 * @return false to drop the whole poll; the protocol then sent its partitions back to
	 * the poll's first records
	 */
	default boolean admit(ConsumerRecords<Object, Object> records) {
		return true;
	}

	/**
	 * Return the records of one partition of an admitted poll that may be dispatched.
	 * @param topicPartition the partition
	 * @param records the poll's records of the partition
	 * @return the records to dispatch, possibly none
	 */
	default List<ConsumerRecord<Object, Object>> cut(TopicPartition topicPartition,
			List<ConsumerRecord<Object, Object>> records) {
		return records;
	}

	/**
	 * Hear that a partition's records are about to be dispatched.
	 * @param partition the partition's progress, which tracks them
	 * @param firstOffset the offset of the first of them
	 */
	default void dispatching(PartitionOffsets partition, long firstOffset) {
	}

	/**
	 * After a poll's records were dispatched.
	 * @param assigned the progress of the consumer's partitions
	 */
	void afterDispatch(Collection<PartitionOffsets> assigned);

	/**
	 * Before every poll, also when no records arrive.
	 * @param assigned the progress of the consumer's partitions
	 */
	void beforePoll(Collection<PartitionOffsets> assigned);

	/**
	 * Commit now everything finished, synchronously (a graceful shutdown).
	 * @param assigned the progress of the consumer's partitions
	 * @return whether nothing finished is left uncommitted
	 */
	boolean commitNow(Collection<PartitionOffsets> assigned);

	/**
	 * Return whether the last commit failed only because the group is rebalancing, so
	 * that the same commit succeeds after the next poll.
	 * @return true if it is worth trying again after a poll
	 */
	default boolean failedForRebalance() {
		return false;
	}

	/**
	 * Hear that partitions were assigned, before their committed offsets are fetched.
	 * @param partitions the partitions
	 */
	default void assigned(Collection<TopicPartition> partitions) {
	}

	/**
	 * Hear that newly assigned partitions are tracked, before their first records arrive:
	 * a protocol that commits which records above each offset are complete tells their
	 * progress to skip those.
	 * @param partitions the new partitions' progress
	 */
	default void resumed(Collection<PartitionOffsets> partitions) {
	}

	/**
	 * Return whether a consumer call of this protocol spent a wake-up that another thread
	 * meant for the poll, since the last time this was asked; the session then wakes the
	 * consumer again.
	 * @return true if a wake-up was spent
	 */
	default boolean takeSpentWakeUp() {
		return false;
	}

	/**
	 * End what is open over the consumer's partitions while it still owns them, before a
	 * revocation or a seek changes their positions.
	 */
	default void settle() {
	}

	/**
	 * Hear that partitions were lost: they may belong to another consumer already, so
	 * nothing may be committed for them.
	 * @param partitions the partitions
	 */
	default void lost(Collection<TopicPartition> partitions) {
	}

	/**
	 * Hear that the session let partitions go: their progress is revoked and their
	 * buffered records were dropped.
	 * @param partitions the partitions' progress
	 * @param kept the progress of the partitions the session still holds
	 * @param droppedRecords how many fetched records were dropped before they started
	 * @param revoked true for a revocation, after which what the partitions finished must
	 * be committed; false when they were lost or move (a seek, an offset reset)
	 */
	void released(List<PartitionOffsets> partitions, Collection<PartitionOffsets> kept, int droppedRecords,
			boolean revoked);

	/**
	 * Forget a partition that left the consumer.
	 * @param topicPartition the partition
	 * @param resolution why it left, for the end of its freezes
	 */
	void forget(TopicPartition topicPartition, Resolution resolution);

	/**
	 * Return the last offset committed for a partition. Safe from any thread.
	 * @param topicPartition the partition
	 * @return the offset, or -1
	 */
	long lastCommitted(TopicPartition topicPartition);

	/**
	 * Close the protocol when the consumer's session ends.
	 */
	default void close() {
	}

}
