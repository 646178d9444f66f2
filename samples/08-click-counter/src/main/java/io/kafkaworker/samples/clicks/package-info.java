/**
 * Sample 08, goka's canonical example made Spring: a KEY-mode worker counts each user's
 * clicks in its group table, exactly once, and a view of that table serves the counts
 * over HTTP.
 */
@NullMarked
package io.kafkaworker.samples.clicks;

import org.jspecify.annotations.NullMarked;
