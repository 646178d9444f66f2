/**
 * Commits committable offsets on the consumer thread. No Spring inside.
 */
@NullMarked
package io.kafkaworker.commit;

import org.jspecify.annotations.NullMarked;
