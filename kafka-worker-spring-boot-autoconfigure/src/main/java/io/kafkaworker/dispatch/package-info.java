/**
 * Maps records to lanes and bounds what a worker holds in memory. No Spring inside.
 */
@NullMarked
package io.kafkaworker.dispatch;

import org.jspecify.annotations.NullMarked;
