/**
 * Auto-configuration of the database inbox of exactly-once workers.
 */
@NullMarked
package io.kafkaworker.autoconfigure.inbox;

import org.jspecify.annotations.NullMarked;
