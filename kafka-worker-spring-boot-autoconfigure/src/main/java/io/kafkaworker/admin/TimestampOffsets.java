package io.kafkaworker.admin;

import java.time.Instant;
import java.util.List;

/**
 * Where every partition of a topic reaches a point in time.
 *
 * @param topic the topic
 * @param timestamp the point in time
 * @param partitions the offset of each partition, by partition number
 */
public record TimestampOffsets(String topic, Instant timestamp, List<TimestampOffset> partitions) {

}
