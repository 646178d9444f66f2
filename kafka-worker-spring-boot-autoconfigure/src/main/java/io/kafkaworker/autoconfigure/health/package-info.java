/**
 * Auto-configuration of the workers' health contributors and their probe groups.
 */
@NullMarked
package io.kafkaworker.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
