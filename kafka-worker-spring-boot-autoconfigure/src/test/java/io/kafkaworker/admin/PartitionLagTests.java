package io.kafkaworker.admin;

import java.util.List;

import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PartitionLag} and {@link GroupLag}: lag is counted from where the
 * group resumes, its committed offset or, without one or below it, the low watermark.
 */
class PartitionLagTests {

	@Test
	void lagIsHighWatermarkMinusCommittedOffset() {
		PartitionLag lag = PartitionLag.of(Watermarks.of(0, 2, 10), 7L);
		assertThat(lag).isEqualTo(new PartitionLag(0, 7L, 2, 10, 3));
	}

	@Test
	void partitionWithoutCommitLagsByEveryRecordInTheLog() {
		assertThat(PartitionLag.of(Watermarks.of(1, 2, 10), null).lag()).isEqualTo(8);
	}

	@Test
	void commitBelowLowWatermarkCountsOnlyRecordsStillInTheLog() {
		assertThat(PartitionLag.of(Watermarks.of(0, 4, 10), 1L).lag()).isEqualTo(6);
	}

	@Test
	void commitAboveHighWatermarkIsNoNegativeLag() {
		// A read_uncommitted consumer can commit past the last stable offset.
		assertThat(PartitionLag.of(Watermarks.of(0, 0, 5), 8L).lag()).isZero();
	}

	@Test
	void groupLagIsTheSumOfItsPartitions() {
		GroupLag lag = GroupLag.of("g", "t", IsolationLevel.READ_UNCOMMITTED,
				List.of(PartitionLag.of(Watermarks.of(0, 0, 10), 4L), PartitionLag.of(Watermarks.of(1, 0, 3), null)));
		assertThat(lag.totalLag()).isEqualTo(9);
	}

	@Test
	void topicCountIsTheSumOfItsPartitions() {
		TopicOffsets offsets = TopicOffsets.of("t", IsolationLevel.READ_UNCOMMITTED,
				List.of(Watermarks.of(0, 2, 10), Watermarks.of(1, 0, 0)));
		assertThat(offsets.partitions()).extracting(Watermarks::messageCount).containsExactly(8L, 0L);
		assertThat(offsets.messageCount()).isEqualTo(8);
	}

}
