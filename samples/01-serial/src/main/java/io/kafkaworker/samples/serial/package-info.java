/**
 * Sample 01, after kafka-go-worker's first example: a SERIAL worker that handles one
 * record at a time, in poll order, and commits past the records it cannot handle after
 * logging them (on-failure SKIP).
 */
@NullMarked
package io.kafkaworker.samples.serial;

import org.jspecify.annotations.NullMarked;
