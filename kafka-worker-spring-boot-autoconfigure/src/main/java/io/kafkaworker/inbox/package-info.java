/**
 * The database inbox of exactly-once workers with store JDBC: each handler call runs in a
 * transaction of the application's database that also records the call's records, so a
 * record redelivered after a crash or a rebalance is recognised and skipped.
 */
@NullMarked
package io.kafkaworker.inbox;

import org.jspecify.annotations.NullMarked;
