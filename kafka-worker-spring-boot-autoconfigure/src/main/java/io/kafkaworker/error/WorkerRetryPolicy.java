package io.kafkaworker.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.kafka.listener.ExceptionClassifier;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * When a failed call is tried again in place, and how long to wait before each attempt.
 *
 * <p>
 * A failure is retried while attempts remain and neither it nor any of its causes is of a
 * non-retryable type. The defaults are Spring Kafka's fatal exceptions (deserialization
 * and conversion failures, {@code ClassCastException} and the like) plus Bean
 * Validation's {@code ValidationException} when it is on the class path: retrying them
 * cannot succeed. Waits grow exponentially: {@code initial},
 * {@code initial × multiplier}, … capped at {@code max}, computed by Spring's
 * {@link ExponentialBackOff}.
 */
public final class WorkerRetryPolicy {

	private static final String VALIDATION_EXCEPTION = "jakarta.validation.ValidationException";

	private final int maxAttempts;

	private final ExponentialBackOff backOff;

	private final List<Class<? extends Throwable>> nonRetryable;

	/**
	 * Create a policy.
	 * @param maxAttempts total attempts, the first included; 1 means no retry
	 * @param initial the wait before the second attempt
	 * @param multiplier how much each wait grows
	 * @param max the longest wait
	 * @param nonRetryable failure types that are never retried, checked against the
	 * failure and its causes
	 */
	public WorkerRetryPolicy(int maxAttempts, Duration initial, double multiplier, Duration max,
			List<Class<? extends Throwable>> nonRetryable) {
		this.maxAttempts = maxAttempts;
		this.backOff = new ExponentialBackOff(initial.toMillis(), multiplier);
		this.backOff.setMaxInterval(max.toMillis());
		this.nonRetryable = List.copyOf(nonRetryable);
	}

	/**
	 * Return the failure types that are never retried unless configured otherwise.
	 * @param classLoader the class loader to look for optional types in
	 * @return the default non-retryable types
	 */
	public static List<Class<? extends Throwable>> defaultNonRetryable(ClassLoader classLoader) {
		List<Class<? extends Throwable>> types = new ArrayList<>(ExceptionClassifier.defaultFatalExceptionsList());
		try {
			types.add(Class.forName(VALIDATION_EXCEPTION, false, classLoader).asSubclass(Throwable.class));
		}
		catch (ClassNotFoundException ex) {
			// Bean Validation is not on the class path.
		}
		return types;
	}

	/**
	 * Return the total number of attempts.
	 * @return the attempts, the first included
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Return whether a failure can be retried at all.
	 * @param failure the failure
	 * @return false if the failure or one of its causes is of a non-retryable type
	 */
	public boolean isRetryable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			for (Class<? extends Throwable> type : this.nonRetryable) {
				if (type.isInstance(cause)) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Return whether to try again after a failed attempt.
	 * @param failure the attempt's failure
	 * @param attemptsSoFar the attempts made, the failed one included
	 * @return whether another attempt should be made
	 */
	public boolean shouldRetry(Throwable failure, int attemptsSoFar) {
		return attemptsSoFar < this.maxAttempts && isRetryable(failure);
	}

	/**
	 * Start counting the waits of one failing call.
	 * @return the waits, one per retry
	 */
	public Backoffs start() {
		BackOffExecution execution = this.backOff.start();
		return () -> Duration.ofMillis(Math.max(0, execution.nextBackOff()));
	}

	/**
	 * The waits of one failing call.
	 */
	@FunctionalInterface
	public interface Backoffs {

		/**
		 * Return the wait before the next attempt.
		 * @return the wait
		 */
		Duration next();

	}

}
