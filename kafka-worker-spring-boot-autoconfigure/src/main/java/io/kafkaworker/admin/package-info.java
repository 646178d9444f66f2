/**
 * Offset tools over Spring Boot's {@code KafkaAdmin}: the watermarks and message counts
 * of a topic's partitions, a consumer group's committed offsets and lag, and the offsets
 * of a point in time ({@link io.kafkaworker.admin.KafkaOffsets}). Independent of the
 * workers: it reads the cluster, not the engine.
 */
@NullMarked
package io.kafkaworker.admin;

import org.jspecify.annotations.NullMarked;
