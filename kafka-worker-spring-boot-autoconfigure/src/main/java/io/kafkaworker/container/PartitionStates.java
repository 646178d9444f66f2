package io.kafkaworker.container;

import java.util.Collection;

import org.apache.kafka.common.TopicPartition;

/**
 * State a worker keeps per partition outside the engine (its group table): built when
 * partitions are assigned, before their records run, and dropped when they are revoked or
 * lost. Called on the consumer thread.
 */
interface PartitionStates {

	/**
	 * State of nothing.
	 */
	PartitionStates NONE = new PartitionStates() {

		@Override
		public void assigned(Collection<TopicPartition> partitions) {
		}

		@Override
		public void released(Collection<TopicPartition> partitions, Collection<TopicPartition> settled) {
		}

	};

	/**
	 * Build the state of newly assigned partitions.
	 * @param partitions the partitions
	 */
	void assigned(Collection<TopicPartition> partitions);

	/**
	 * Let go of the state of partitions.
	 * @param partitions the partitions
	 * @param settled those of them revoked cleanly: nothing of theirs is still in flight,
	 * so their state may be kept for their next assignment
	 */
	void released(Collection<TopicPartition> partitions, Collection<TopicPartition> settled);

}
