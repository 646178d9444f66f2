package io.kafkaworker.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.ExceptionClassifier;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A worker's retry policy: whether a failed call is tried again, and how long to wait
 * before each attempt.
 *
 * <p>
 * A failure is retried while attempts remain, the back-off has not stopped, and neither
 * the failure nor any of its causes is of a non-retryable type. The defaults are Spring
 * Kafka's fatal exceptions (deserialization and conversion failures,
 * {@code ClassCastException} and the like) plus Bean Validation's
 * {@code ValidationException} when it is on the class path: retrying them cannot succeed.
 * The waits come from a Spring {@link BackOff}: by default an
 * {@linkplain #exponentialBackOff exponential one with jitter}, or the application's own.
 *
 * <p>
 * Unlike Spring Framework's {@code org.springframework.core.retry.RetryPolicy}, which
 * governs the retries of one call, this policy counts attempts given from outside, so
 * that a worker can count them across re-runs of a record (exactly-once delivery runs a
 * failed record again after its transaction aborted).
 */
public final class WorkerRetryPolicy {

	private static final String VALIDATION_EXCEPTION = "jakarta.validation.ValidationException";

	private final int maxAttempts;

	private final BackOff backOff;

	private final List<Class<? extends Throwable>> nonRetryable;

	/**
	 * Create a policy.
	 * @param maxAttempts total attempts, the first included; 1 means no retry
	 * @param backOff the waits between attempts; its executions must be independent of
	 * each other, since lanes fail and retry concurrently. Retries end early when it
	 * returns {@link BackOffExecution#STOP}
	 * @param nonRetryable failure types that are never retried, checked against the
	 * failure and its causes
	 */
	public WorkerRetryPolicy(int maxAttempts, BackOff backOff, List<Class<? extends Throwable>> nonRetryable) {
		this.maxAttempts = maxAttempts;
		this.backOff = backOff;
		this.nonRetryable = List.copyOf(nonRetryable);
	}

	/**
	 * Return an exponential back-off: {@code initial}, {@code initial × multiplier}, …
	 * capped at {@code max}, each wait moved at random by up to {@code jitter} of itself
	 * (Spring's {@link ExponentialBackOff#setJitter jitter} of {@code jitter × initial},
	 * which grows with the multiplier), but never below {@code initial} nor above
	 * {@code max}.
	 * @param initial the wait before the second attempt
	 * @param multiplier how much each wait grows, at least 1
	 * @param max the longest wait
	 * @param jitter the largest share of a wait added or taken at random, from 0 (none)
	 * to 1
	 * @return the back-off, which never stops by itself
	 */
	public static ExponentialBackOff exponentialBackOff(Duration initial, double multiplier, Duration max,
			double jitter) {
		ExponentialBackOff backOff = new ExponentialBackOff(initial.toMillis(), multiplier);
		backOff.setMaxInterval(max.toMillis());
		backOff.setJitter(Math.round(initial.toMillis() * jitter));
		return backOff;
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
	 * Return the back-off that gives the waits between attempts.
	 * @return the back-off
	 */
	public BackOff backOff() {
		return this.backOff;
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
	 * Return whether attempts remain after a failed attempt and the failure may be
	 * retried. The back-off may still stop the retries: see {@link Backoffs#next()}.
	 * @param failure the attempt's failure
	 * @param attemptsSoFar the attempts made, the failed one included
	 * @return whether another attempt may be made
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
		return () -> {
			long wait = execution.nextBackOff();
			return (wait != BackOffExecution.STOP) ? Duration.ofMillis(Math.max(0, wait)) : null;
		};
	}

	/**
	 * Return the wait after a record's latest failed attempt, from a fresh start of the
	 * back-off: the first wait after one failed attempt, the second after two, and so on.
	 * For records whose attempts are counted across re-runs rather than in one call.
	 * @param failedAttempts the failed attempts so far, at least 1
	 * @return the wait, or {@code null} if the back-off stopped before
	 */
	public @Nullable Duration waitAfter(int failedAttempts) {
		Backoffs backoffs = start();
		Duration wait = null;
		for (int i = 0; i < failedAttempts; i++) {
			wait = backoffs.next();
			if (wait == null) {
				return null;
			}
		}
		return wait;
	}

	/**
	 * The waits of one failing call.
	 */
	@FunctionalInterface
	public interface Backoffs {

		/**
		 * Return the wait before the next attempt.
		 * @return the wait, or {@code null} if the back-off stopped: no more retries
		 */
		@Nullable Duration next();

	}

}
