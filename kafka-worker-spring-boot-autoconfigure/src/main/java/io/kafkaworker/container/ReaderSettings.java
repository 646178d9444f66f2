package io.kafkaworker.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kafkaworker.annotation.ReadFrom;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a worker that reads (kefka's Reader): an explicit assignment instead of
 * a consumer group, a start position, no commits, and optionally an end.
 *
 * @param partitions the partitions to read of each topic; empty for all of them
 * @param start where reading starts
 * @param startTimestamp the time to start from, for {@link ReadFrom#TIMESTAMP}
 * @param startOffsets the offset to start from per partition, for
 * {@link ReadFrom#OFFSETS} (partitions without one start at the beginning)
 * @param stopAtEnd whether the reader stops by itself once it handled every record below
 * the end offsets it saw when it started
 * @param exitWhenDone whether the application exits once every reader with this set
 * reached its end
 */
public record ReaderSettings(List<Integer> partitions, ReadFrom start, @Nullable Instant startTimestamp,
		Map<TopicPartition, Long> startOffsets, boolean stopAtEnd, boolean exitWhenDone) {

	/**
	 * Create reader settings.
	 */
	public ReaderSettings {
		partitions = List.copyOf(partitions);
		startOffsets = Map.copyOf(startOffsets);
	}

}
