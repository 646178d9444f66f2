package io.kafkaworker.dispatch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Ordering}: which records share a lane in each mode, whether the mode's
 * lanes are exclusive, and the partition a lane belongs to.
 */
class OrderingTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private static final TopicPartition OTHER_TOPIC = new TopicPartition("payments", 0);

	@Test
	void onlyParallelLanesAreNotExclusive() {
		assertThat(Ordering.SERIAL.exclusive()).isTrue();
		assertThat(Ordering.PARTITION.exclusive()).isTrue();
		assertThat(Ordering.KEY.exclusive()).isTrue();
		assertThat(Ordering.PARALLEL.exclusive()).isFalse();
	}

	@Test
	void serialPutsEveryRecordInOneLane() {
		Object lane = laneKey(Ordering.SERIAL, P0, 0, "a");
		assertThat(laneKey(Ordering.SERIAL, P0, 1, "b")).isSameAs(lane);
		assertThat(laneKey(Ordering.SERIAL, P1, 0, null)).isSameAs(lane);
		assertThat(laneKey(Ordering.SERIAL, OTHER_TOPIC, 7, new byte[] { 1 })).isSameAs(lane);
		assertThat(Ordering.partitionOf(lane)).isNull();
		assertThat(lane).hasToString("worker");
	}

	@Test
	void partitionPutsEachTopicPartitionInItsOwnLane() {
		Object lane = laneKey(Ordering.PARTITION, P0, 0, "a");
		assertThat(lane).isEqualTo(P0);
		assertThat(laneKey(Ordering.PARTITION, P0, 5, "b")).isEqualTo(lane);
		assertThat(laneKey(Ordering.PARTITION, P0, 6, null)).isEqualTo(lane);
		assertThat(laneKey(Ordering.PARTITION, P1, 0, "a")).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.PARTITION, OTHER_TOPIC, 0, "a")).isNotEqualTo(lane);
		assertThat(Ordering.partitionOf(lane)).isEqualTo(P0);
	}

	@Test
	void keyPutsEachKeyOfEachPartitionInItsOwnLane() {
		Object lane = laneKey(Ordering.KEY, P0, 0, "a");
		assertThat(laneKey(Ordering.KEY, P0, 9, "a")).isEqualTo(lane).hasSameHashCodeAs(lane);
		assertThat(laneKey(Ordering.KEY, P0, 1, new String("a"))).isEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P0, 1, "b")).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P1, 0, "a")).as("same key, other partition").isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, OTHER_TOPIC, 0, "a")).as("same key, other topic").isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P0, 0, 1L)).isEqualTo(laneKey(Ordering.KEY, P0, 3, Long.valueOf(1L)))
			.isNotEqualTo(laneKey(Ordering.KEY, P0, 0, 1));
		assertThat(lane).isEqualTo(new Ordering.KeyLane(P0, "a"));
		assertThat(Ordering.partitionOf(lane)).isEqualTo(P0);
	}

	@Test
	void byteArrayKeysWithEqualContentsShareALane() {
		Object lane = laneKey(Ordering.KEY, P0, 0, new byte[] { 1, 2, 3 });
		assertThat(laneKey(Ordering.KEY, P0, 1, new byte[] { 1, 2, 3 })).isEqualTo(lane).hasSameHashCodeAs(lane);
		assertThat(laneKey(Ordering.KEY, P0, 2, new byte[] { 1, 2, 4 })).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P0, 3, new byte[] { 1, 2 })).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P1, 0, new byte[] { 1, 2, 3 })).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P0, 4, new byte[0])).isEqualTo(laneKey(Ordering.KEY, P0, 5, new byte[0]))
			.isNotEqualTo(laneKey(Ordering.KEY, P0, 6, null));
		assertThat(Ordering.partitionOf(lane)).isEqualTo(P0);
	}

	@Test
	void nullKeysShareOneLanePerPartition() {
		Object lane = laneKey(Ordering.KEY, P0, 0, null);
		assertThat(laneKey(Ordering.KEY, P0, 1, null)).isEqualTo(lane).hasSameHashCodeAs(lane);
		assertThat(laneKey(Ordering.KEY, P1, 0, null)).isNotEqualTo(lane);
		assertThat(laneKey(Ordering.KEY, P0, 2, "null")).isNotEqualTo(lane);
		assertThat(lane).isEqualTo(new Ordering.KeyLane(P0, null));
		assertThat(Ordering.partitionOf(lane)).isEqualTo(P0);
	}

	@Test
	void parallelPutsEachTopicPartitionInItsOwnLane() {
		Object lane = laneKey(Ordering.PARALLEL, P0, 0, "a");
		assertThat(lane).isEqualTo(P0);
		assertThat(laneKey(Ordering.PARALLEL, P0, 1, "b")).isEqualTo(lane);
		assertThat(laneKey(Ordering.PARALLEL, P1, 0, "a")).isNotEqualTo(lane);
		assertThat(Ordering.partitionOf(lane)).isEqualTo(P0);
	}

	@Test
	void laneKeyUsesThePartitionItIsGiven() {
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 0, 0, "a", "value");
		assertThat(Ordering.PARTITION.laneKey(record, P1)).isEqualTo(P1);
		assertThat(Ordering.KEY.laneKey(record, P1)).isEqualTo(new Ordering.KeyLane(P1, "a"));
	}

	@Test
	void partitionOfAnUnknownLaneKeyIsNull() {
		assertThat(Ordering.partitionOf("orders-0")).isNull();
		assertThat(Ordering.partitionOf(new Object())).isNull();
	}

	private static Object laneKey(Ordering ordering, TopicPartition partition, long offset, Object key) {
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
				key, "value-" + offset);
		return ordering.laneKey(record, partition);
	}

}
