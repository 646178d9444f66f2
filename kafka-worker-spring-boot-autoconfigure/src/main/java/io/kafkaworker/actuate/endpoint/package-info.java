/**
 * The {@code kafkaworkers} actuator endpoint: what every worker is doing, and the live
 * operator actions on it; the {@code kafkaviews} endpoint over table views, and the
 * read-only {@code kafkaoffsets} endpoint over topics' offsets and groups' lag.
 */
@NullMarked
package io.kafkaworker.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
