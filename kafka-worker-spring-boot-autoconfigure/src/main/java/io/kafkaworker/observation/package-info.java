/**
 * Traces and log context of handler calls: a Micrometer Observation per record (or per
 * lane-batch call) and the record's coordinates in the MDC of the lane thread.
 */
@NullMarked
package io.kafkaworker.observation;

import org.jspecify.annotations.NullMarked;
