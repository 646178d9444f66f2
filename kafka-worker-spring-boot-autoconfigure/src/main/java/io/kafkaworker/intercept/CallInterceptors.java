package io.kafkaworker.intercept;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The interceptors of one worker, in order, chosen once when the worker is built. A
 * worker without any gets {@link #NONE}, whose calls return at once: interceptors cost
 * nothing when there are none.
 */
public final class CallInterceptors {

	/**
	 * No interceptors.
	 */
	public static final CallInterceptors NONE = new CallInterceptors("", new WorkerInterceptor[0]);

	private static final Log logger = LogFactory.getLog(CallInterceptors.class);

	private final String workerId;

	private final WorkerInterceptor[] interceptors;

	private CallInterceptors(String workerId, WorkerInterceptor[] interceptors) {
		this.workerId = workerId;
		this.interceptors = interceptors;
	}

	/**
	 * Return the interceptors of a worker.
	 * @param workerId the worker
	 * @param ordered every interceptor, in order
	 * @return those that apply to the worker, or {@link #NONE}
	 */
	public static CallInterceptors of(String workerId, List<WorkerInterceptor> ordered) {
		WorkerInterceptor[] applying = ordered.stream()
			.filter((interceptor) -> interceptor.appliesTo(workerId))
			.toArray(WorkerInterceptor[]::new);
		return (applying.length > 0) ? new CallInterceptors(workerId, applying) : NONE;
	}

	/**
	 * Before an attempt. An interceptor that throws fails the attempt.
	 * @param records the records
	 * @param attempt the attempt
	 * @return the call, to pass to {@link #after} or {@link #failed}; null when there are
	 * no interceptors
	 */
	public @Nullable WorkerCall before(List<ConsumerRecord<?, ?>> records, int attempt) {
		if (this.interceptors.length == 0) {
			return null;
		}
		WorkerCall call = new WorkerCall(this.workerId, records, attempt);
		for (WorkerInterceptor interceptor : this.interceptors) {
			interceptor.before(call);
		}
		return call;
	}

	/**
	 * After an attempt in which the handler returned normally.
	 * @param call what {@link #before} returned
	 * @param startNanos when the attempt started, by {@link System#nanoTime()}
	 */
	public void after(@Nullable WorkerCall call, long startNanos) {
		if (call == null) {
			return;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
		for (WorkerInterceptor interceptor : this.interceptors) {
			try {
				interceptor.after(call, took);
			}
			catch (RuntimeException ex) {
				logFailure(interceptor, "after", ex);
			}
		}
	}

	/**
	 * After an attempt that failed.
	 * @param call what {@link #before} returned, or null if it threw
	 * @param records the records, for a call whose {@code before} threw
	 * @param attempt the attempt
	 * @param failure what was thrown
	 * @param startNanos when the attempt started, by {@link System#nanoTime()}
	 */
	public void failed(@Nullable WorkerCall call, List<ConsumerRecord<?, ?>> records, int attempt, Throwable failure,
			long startNanos) {
		if (this.interceptors.length == 0) {
			return;
		}
		WorkerCall failedCall = (call != null) ? call : new WorkerCall(this.workerId, records, attempt);
		Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
		for (WorkerInterceptor interceptor : this.interceptors) {
			try {
				interceptor.failed(failedCall, failure, took);
			}
			catch (RuntimeException ex) {
				logFailure(interceptor, "failed", ex);
			}
		}
	}

	private void logFailure(WorkerInterceptor interceptor, String method, RuntimeException ex) {
		logger.warn("Interceptor " + interceptor.getClass().getName() + "." + method + " of worker '" + this.workerId
				+ "' threw; the call's outcome stands", ex);
	}

}
