package io.kafkaworker.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a worker that reads (kefka's Reader): an explicit assignment instead of
 * a consumer group, a start position, no commits, and optionally an end.
 *
 * @param partitions the partitions to read of each topic; empty for all of them
 * @param start where reading starts
 * @param startTimestamp the time to start from, for {@link Start#TIMESTAMP}
 * @param startOffsets the offset to start from per partition, for {@link Start#OFFSETS}
 * (partitions without one start at the beginning)
 * @param stopAtEnd whether the reader stops by itself once it handled every record below
 * the end offsets it saw when it started
 */
public record ReaderSettings(List<Integer> partitions, Start start, @Nullable Instant startTimestamp,
		Map<TopicPartition, Long> startOffsets, boolean stopAtEnd) {

	/**
	 * Create reader settings.
	 */
	public ReaderSettings {
		partitions = List.copyOf(partitions);
		startOffsets = Map.copyOf(startOffsets);
	}

	/**
	 * Where a reader starts.
	 */
	public enum Start {

		/**
		 * At each partition's first record.
		 */
		EARLIEST,

		/**
		 * At each partition's end: only records written after the reader started.
		 */
		LATEST,

		/**
		 * At each partition's first record at or after a time (its end when there is
		 * none).
		 */
		TIMESTAMP,

		/**
		 * At an offset per partition.
		 */
		OFFSETS

	}

}
