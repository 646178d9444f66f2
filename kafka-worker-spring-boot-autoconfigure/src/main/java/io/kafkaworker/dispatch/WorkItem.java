package io.kafkaworker.dispatch;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fetched record on its way through a lane, with the handle to mark it complete.
 *
 * @param record the record
 * @param partition the progress of the record's partition in the assignment that fetched
 * it; completing a record of a revoked assignment changes nothing that is committed
 * @param sequence the number the partition gave the record when it was received
 */
public record WorkItem(ConsumerRecord<Object, Object> record, PartitionOffsets partition, long sequence) {

	/**
	 * Mark the record complete in its partition.
	 * @return whether this changed the partition's progress
	 */
	public boolean complete() {
		return this.partition.complete(this.sequence);
	}

	@Override
	public String toString() {
		return this.record.topic() + "-" + this.record.partition() + "@" + this.record.offset();
	}

}
