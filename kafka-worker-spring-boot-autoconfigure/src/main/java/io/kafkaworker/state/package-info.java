/**
 * Keyed state of KEY-mode workers: the group table (a compacted topic, one row per key,
 * read and written by the handler through {@link io.kafkaworker.state.TableRow}), its
 * local stores, and how its writes join the worker's delivery guarantee.
 */
@NullMarked
package io.kafkaworker.state;

import org.jspecify.annotations.NullMarked;
