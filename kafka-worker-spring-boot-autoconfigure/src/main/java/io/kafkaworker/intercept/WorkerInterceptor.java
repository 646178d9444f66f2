package io.kafkaworker.intercept;

import java.time.Duration;

/**
 * Called on the lane thread around each attempt of a handler call, for every worker or
 * the ones {@link #appliesTo} accepts. Declare interceptors as beans; they run in the
 * order of {@code @Order} or {@code Ordered} ({@code before} in that order, {@code after}
 * and {@code failed} too). The record's span is current and its coordinates are in the
 * MDC while they run.
 *
 * <p>
 * An exception from {@link #before} fails the attempt as the handler's own would (it is
 * retried, then meets the failure policy), and the handler is not called; an exception
 * from {@link #after} or {@link #failed} is logged and changes nothing.
 */
public interface WorkerInterceptor {

	/**
	 * Return whether this interceptor runs around the calls of a worker.
	 * @param workerId the worker
	 * @return true, unless overridden
	 */
	default boolean appliesTo(String workerId) {
		return true;
	}

	/**
	 * Before an attempt.
	 * @param call the worker, the records and the attempt
	 */
	default void before(WorkerCall call) {
	}

	/**
	 * After an attempt in which the handler returned normally.
	 * @param call the worker, the records and the attempt
	 * @param took how long the handler ran
	 */
	default void after(WorkerCall call, Duration took) {
	}

	/**
	 * After an attempt that failed: the handler (or an interceptor's {@code before})
	 * threw.
	 * @param call the worker, the records and the attempt
	 * @param failure what was thrown
	 * @param took how long the attempt ran
	 */
	default void failed(WorkerCall call, Throwable failure, Duration took) {
	}

}
