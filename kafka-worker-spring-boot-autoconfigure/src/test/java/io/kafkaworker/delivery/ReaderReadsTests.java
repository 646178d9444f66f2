package io.kafkaworker.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kafkaworker.event.ReaderFinishedEvent.ReadPartition;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader's progress against its end: records at or past the end offsets taken at
 * assignment are never dispatched, and the end is reached once, when every partition was
 * fetched to its end with nothing outstanding. The consumer is kafka-clients'
 * {@link MockConsumer}: what is tested is the reader's bookkeeping.
 */
class ReaderReadsTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private final MockConsumer<Object, Object> consumer = new MockConsumer<>("earliest");

	private final List<Map<TopicPartition, ReadPartition>> ends = new ArrayList<>();

	private final ReaderReads reads = new ReaderReads("backfill", this.consumer, true, this.ends::add);

	ReaderReadsTests() {
		this.consumer.assign(List.of(P0, P1));
		this.consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
		this.consumer.updateEndOffsets(Map.of(P0, 3L, P1, 0L));
		this.consumer.seekToBeginning(List.of(P0, P1));
		this.reads.assigned(List.of(P0, P1));
	}

	@Test
	void recordsAtOrPastTheEndAreNotDispatched() {
		List<ConsumerRecord<Object, Object>> fetched = List.of(record(1), record(2), record(3), record(4));
		assertThat(this.reads.cut(P0, fetched)).extracting(ConsumerRecord::offset).containsExactly(1L, 2L);
		assertThat(this.reads.cut(P0, List.of(record(0)))).hasSize(1);
	}

	@Test
	void theEndIsReachedOnceEveryPartitionWasFetchedToItsEndWithNothingOutstanding() {
		PartitionOffsets p0 = new PartitionOffsets(P0);
		PartitionOffsets p1 = new PartitionOffsets(P1);
		List<PartitionOffsets> assigned = List.of(p0, p1);
		this.reads.cut(P0, List.of(record(0), record(1), record(2)));
		long first = p0.receive(0);
		p0.receive(1);
		long last = p0.receive(2);
		this.consumer.seek(P0, 3);
		p0.complete(first);
		p0.complete(last);
		this.reads.beforePoll(assigned);
		assertThat(this.ends).as("offset 1 still outstanding").isEmpty();
		p0.complete(first + 1);
		this.reads.beforePoll(assigned);
		this.reads.afterDispatch(assigned);
		assertThat(this.ends).hasSize(1);
		assertThat(this.ends.get(0)).isEqualTo(Map.of(P0, new ReadPartition(0, 3, 3), P1, new ReadPartition(0, 0, 0)));
		assertThat(this.consumer.paused()).as("partitions fetched to their end").containsExactlyInAnyOrder(P0, P1);
	}

	private static ConsumerRecord<Object, Object> record(long offset) {
		return new ConsumerRecord<>("orders", 0, offset, "key", "value");
	}

}
