/**
 * Spring application events that workers publish, so applications can alert on
 * rebalances, failures and freezes.
 */
@NullMarked
package io.kafkaworker.event;

import org.jspecify.annotations.NullMarked;
