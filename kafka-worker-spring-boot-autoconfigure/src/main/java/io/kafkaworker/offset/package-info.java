/**
 * Per-partition progress: received, complete, in flight and committable offsets. No
 * Spring inside.
 */
@NullMarked
package io.kafkaworker.offset;

import org.jspecify.annotations.NullMarked;
