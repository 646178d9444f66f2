package io.kafkaworker.dispatch;

import java.util.ArrayList;
import java.util.List;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

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
	 * A rough per-record cost of the objects around the payload: the record, its headers,
	 * the work item and the lane slot.
	 */
	private static final int RECORD_OVERHEAD_BYTES = 160;

	/**
	 * Estimate the memory a fetched record takes while a worker holds it: its serialized
	 * key, value and headers plus a fixed overhead. Deserialized objects may be larger
	 * than their bytes; the estimate is for back-pressure, not an exact measure.
	 * @param record the record
	 * @return the estimate in bytes
	 */
	public static int estimateBytes(ConsumerRecord<?, ?> record) {
		long bytes = RECORD_OVERHEAD_BYTES + Math.max(0, record.serializedKeySize())
				+ Math.max(0, record.serializedValueSize());
		for (Header header : record.headers()) {
			bytes += header.key().length() + ((header.value() != null) ? header.value().length : 0);
		}
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	/**
	 * Receive a partition's records from one poll: track them in the partition's
	 * progress, in offset order, and wrap each with its sequence number. Records that the
	 * partition's earlier owner handled (see {@link PartitionOffsets#skipHandled}) are
	 * tracked as complete and left out.
	 * @param partition the partition's progress
	 * @param records the records, in offset order
	 * @return the work items of the records to handle, in the same order
	 */
	public static List<WorkItem> receive(PartitionOffsets partition, List<ConsumerRecord<Object, Object>> records) {
		int count = records.size();
		long[] offsets = new long[count];
		int[] bytes = new int[count];
		for (int i = 0; i < count; i++) {
			ConsumerRecord<Object, Object> record = records.get(i);
			offsets[i] = record.offset();
			bytes[i] = estimateBytes(record);
		}
		boolean skipsHandled = partition.skipsHandled();
		long sequence = partition.receive(offsets, bytes, count);
		List<WorkItem> items = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			// A record an earlier owner handled is complete on receipt and runs no more.
			if (!skipsHandled || !partition.isComplete(sequence + i)) {
				items.add(new WorkItem(records.get(i), partition, sequence + i));
			}
		}
		return items;
	}

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
