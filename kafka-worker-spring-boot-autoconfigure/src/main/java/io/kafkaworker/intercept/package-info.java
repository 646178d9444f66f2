/**
 * Interceptors around each handler call of a worker, on the lane thread (ekafka's
 * interceptors): {@link io.kafkaworker.intercept.WorkerInterceptor} beans, and a built-in
 * access log.
 */
@NullMarked
package io.kafkaworker.intercept;

import org.jspecify.annotations.NullMarked;
