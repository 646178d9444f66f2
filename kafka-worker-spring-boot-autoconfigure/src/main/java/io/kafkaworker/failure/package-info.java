/**
 * The failure policy of a worker, written once for every delivery guarantee: what happens
 * to a record whose retries are exhausted (skip, dead-letter, freeze, stop), the freezes
 * and the operations that release them, and the dead-letter publisher.
 */
@NullMarked
package io.kafkaworker.failure;

import org.jspecify.annotations.NullMarked;
