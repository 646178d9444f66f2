package io.kafkaworker.failure;

import java.util.concurrent.ScheduledFuture;

import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.runtime.FrozenRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * One freeze in the {@link FreezeRegistry}.
 */
final class Freeze {

	final FreezeScope scope;

	final TopicPartition partition;

	/** The registry's key: the halted lane's key, or a {@link PartitionKey}. */
	final Object key;

	final FrozenRecord record;

	final FreezeHold hold;

	/** The retry-after timer, if one runs. */
	volatile @Nullable ScheduledFuture<?> retry;

	Freeze(FreezeScope scope, TopicPartition partition, Object key, FrozenRecord record, FreezeHold hold) {
		this.scope = scope;
		this.partition = partition;
		this.key = key;
		this.record = record;
		this.hold = hold;
	}

	/**
	 * The key of a partition frozen at a record by a transactional unit: a type of its
	 * own, so it never equals a lane's key.
	 *
	 * @param partition the partition
	 */
	record PartitionKey(TopicPartition partition) {

	}

}
