package io.kafkaworker.dispatch;

import java.nio.ByteBuffer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * How records map to lanes, which decides what runs in order and what runs in parallel.
 */
public enum Ordering {

	/**
	 * One exclusive lane for the whole worker: one record at a time, in poll order.
	 */
	SERIAL(true) {
		@Override
		public Object laneKey(ConsumerRecord<?, ?> record, TopicPartition partition) {
			return WORKER_LANE;
		}
	},

	/**
	 * One exclusive lane per partition: partitions in parallel, offset order inside each.
	 */
	PARTITION(true) {
		@Override
		public Object laneKey(ConsumerRecord<?, ?> record, TopicPartition partition) {
			return partition;
		}
	},

	/**
	 * One exclusive lane per key of a partition: keys in parallel, offset order per key.
	 * Records with a null key share one lane per partition.
	 */
	KEY(true) {
		@Override
		public Object laneKey(ConsumerRecord<?, ?> record, TopicPartition partition) {
			return new KeyLane(partition, comparableKey(record.key()));
		}
	},

	/**
	 * One non-exclusive lane per partition: any order, as many calls at once as the
	 * concurrency allows. The lane still groups records by partition so that one
	 * partition can be halted without stopping the others.
	 */
	PARALLEL(false) {
		@Override
		public Object laneKey(ConsumerRecord<?, ?> record, TopicPartition partition) {
			return partition;
		}
	};

	private static final Object WORKER_LANE = new Object() {
		@Override
		public String toString() {
			return "worker";
		}
	};

	private final boolean exclusive;

	Ordering(boolean exclusive) {
		this.exclusive = exclusive;
	}

	/**
	 * Return the key of the lane that a record belongs to.
	 * @param record the record
	 * @param partition the record's partition
	 * @return the lane key; records with equal keys share a lane
	 */
	public abstract Object laneKey(ConsumerRecord<?, ?> record, TopicPartition partition);

	/**
	 * Return whether lanes of this ordering run one call at a time.
	 * @return true for ordered modes
	 */
	public boolean exclusive() {
		return this.exclusive;
	}

	/**
	 * Return the partition that a lane belongs to.
	 * @param laneKey a key returned by {@link #laneKey}
	 * @return the partition, or null for the single lane of {@link #SERIAL}
	 */
	public static @Nullable TopicPartition partitionOf(Object laneKey) {
		if (laneKey instanceof TopicPartition partition) {
			return partition;
		}
		if (laneKey instanceof KeyLane keyLane) {
			return keyLane.partition();
		}
		return null;
	}

	// Byte-array keys compare by identity; wrap them so equal contents share a lane.
	private static @Nullable Object comparableKey(@Nullable Object key) {
		return (key instanceof byte[] bytes) ? ByteBuffer.wrap(bytes) : key;
	}

	/**
	 * The lane of one key of one partition.
	 *
	 * @param partition the partition
	 * @param key the record key, or null for the partition's null-key lane
	 */
	public record KeyLane(TopicPartition partition, @Nullable Object key) {

	}

}
