package io.kafkaworker.admin;

import org.jspecify.annotations.Nullable;

/**
 * How far a consumer group is behind on one partition.
 *
 * @param partition the partition
 * @param committedOffset the group's committed offset (the next record it will read), or
 * null if it committed none for this partition
 * @param low the partition's low watermark
 * @param high the partition's high watermark
 * @param lag the records between where the group will resume and the high watermark:
 * {@code high - max(committedOffset, low)}, at least 0. A partition without a commit lags
 * by {@code high - low}, every record still in the log (what the group reads first with
 * {@code auto.offset.reset=earliest}); a commit below the low watermark counts only the
 * records still there. An upper bound, as {@link Watermarks#messageCount()} is
 */
public record PartitionLag(int partition, @Nullable Long committedOffset, long low, long high, long lag) {

	static PartitionLag of(Watermarks watermarks, @Nullable Long committedOffset) {
		long resumeAt = (committedOffset != null) ? Math.max(committedOffset, watermarks.low()) : watermarks.low();
		long lag = Math.max(0, watermarks.high() - resumeAt);
		return new PartitionLag(watermarks.partition(), committedOffset, watermarks.low(), watermarks.high(), lag);
	}

}
