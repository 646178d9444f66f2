package io.kafkaworker.runtime;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A record that froze its partition or key: its coordinates and why.
 *
 * @param scope what the freeze stops: {@code PARTITION} or {@code KEY}
 * @param topic the record's topic
 * @param partition the record's partition
 * @param offset the record's offset
 * @param key the record's key as text, or null
 * @param exception the class name of the last failure
 * @param message the message of the last failure, or null
 * @param since when the record froze
 * @param attempts how many times the handler was called for it
 */
public record FrozenRecord(String scope, String topic, int partition, long offset, @Nullable String key,
		String exception, @Nullable String message, Instant since, int attempts) {

}
