package io.kafkaworker.admin;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a partition's records reach a point in time.
 *
 * @param partition the partition
 * @param offset the offset of the first record whose timestamp is at or after the point
 * in time, or null if there is no such record (a consumer seeking there would go to the
 * log's end)
 * @param timestamp that record's timestamp, or null if there is no such record
 */
public record TimestampOffset(int partition, @Nullable Long offset, @Nullable Instant timestamp) {

}
