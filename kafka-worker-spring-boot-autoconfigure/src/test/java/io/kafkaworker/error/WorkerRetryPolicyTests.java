package io.kafkaworker.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerRetryPolicy}.
 */
class WorkerRetryPolicyTests {

	private static final Duration INITIAL = Duration.ofSeconds(1);

	private static final Duration MAX = Duration.ofSeconds(30);

	private final WorkerRetryPolicy policy = new WorkerRetryPolicy(4,
			WorkerRetryPolicy.exponentialBackOff(Duration.ofMillis(100), 2.0, Duration.ofMillis(300), 0.0),
			WorkerRetryPolicy.defaultNonRetryable(getClass().getClassLoader()));

	@Test
	void retriesUntilTheAttemptsAreUsedUp() {
		IllegalStateException failure = new IllegalStateException("database down");
		assertThat(this.policy.shouldRetry(failure, 1)).isTrue();
		assertThat(this.policy.shouldRetry(failure, 3)).isTrue();
		assertThat(this.policy.shouldRetry(failure, 4)).isFalse();
	}

	@Test
	void waitsWithoutJitterGrowExponentiallyUpToTheMaximum() {
		WorkerRetryPolicy.Backoffs backoffs = this.policy.start();
		assertThat(List.of(backoffs.next(), backoffs.next(), backoffs.next(), backoffs.next())).containsExactly(
				Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300));
	}

	@Test
	void waitsWithJitterStayWithinTheirShareOfTheWaitAndBetweenInitialAndMax() {
		ExponentialBackOff backOff = WorkerRetryPolicy.exponentialBackOff(INITIAL, 2.0, MAX, 0.5);
		List<Long> intervals = List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
		for (int run = 0; run < 200; run++) {
			List<Duration> waits = waits(new WorkerRetryPolicy(10, backOff, List.of()), intervals.size());
			for (int i = 0; i < intervals.size(); i++) {
				long interval = intervals.get(i);
				assertThat(waits.get(i).toMillis()).as("wait %d of run %d", i + 1, run)
					.isBetween(Math.max(interval / 2, INITIAL.toMillis()), Math.min(interval * 3 / 2, MAX.toMillis()));
			}
		}
	}

	@Test
	void waitsWithJitterDifferFromOneFailingCallToTheNext() {
		WorkerRetryPolicy jittered = new WorkerRetryPolicy(3,
				WorkerRetryPolicy.exponentialBackOff(INITIAL, 2.0, MAX, 0.5), List.of());
		Set<Duration> secondWaits = new HashSet<>();
		for (int run = 0; run < 50; run++) {
			secondWaits.add(waits(jittered, 2).get(1));
		}
		assertThat(secondWaits).as("the second wait, 2s ± 1s, of 50 calls").hasSizeGreaterThan(10);
		assertThat(secondWaits).anyMatch((wait) -> wait.toMillis() < 2000).anyMatch((wait) -> wait.toMillis() > 2000);
	}

	@Test
	void jitterWithoutAnInitialWaitLeavesEveryWaitAtZero() {
		WorkerRetryPolicy immediate = new WorkerRetryPolicy(3,
				WorkerRetryPolicy.exponentialBackOff(Duration.ZERO, 2.0, MAX, 0.5), List.of());
		assertThat(waits(immediate, 3)).containsOnly(Duration.ZERO);
	}

	@Test
	void backOffThatStopsEndsTheRetries() {
		WorkerRetryPolicy twoRetries = new WorkerRetryPolicy(10, new FixedBackOff(50, 2), List.of());
		WorkerRetryPolicy.Backoffs backoffs = twoRetries.start();
		assertThat(backoffs.next()).isEqualTo(Duration.ofMillis(50));
		assertThat(backoffs.next()).isEqualTo(Duration.ofMillis(50));
		assertThat(backoffs.next()).isNull();
		assertThat(twoRetries.waitAfter(2)).isEqualTo(Duration.ofMillis(50));
		assertThat(twoRetries.waitAfter(3)).isNull();
	}

	@Test
	void waitAfterAFailedAttemptIsTheWaitOfThatRetry() {
		assertThat(List.of(this.policy.waitAfter(1), this.policy.waitAfter(2), this.policy.waitAfter(3)))
			.containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
	}

	@Test
	void neverRetriesDeserializationConversionOrValidationFailures() {
		assertThat(this.policy.isRetryable(new DeserializationException("bad bytes", new byte[0], false, null)))
			.isFalse();
		assertThat(this.policy.isRetryable(new MessageConversionException("no converter"))).isFalse();
		assertThat(this.policy.isRetryable(new ClassCastException())).isFalse();
		assertThat(this.policy.isRetryable(new jakarta.validation.ValidationException("invalid order"))).isFalse();
	}

	@Test
	void checksTheCausesOfAFailureToo() {
		assertThat(this.policy.isRetryable(new IllegalStateException("wrapped", new ClassCastException()))).isFalse();
		assertThat(this.policy.isRetryable(new IllegalStateException("wrapped", new RuntimeException()))).isTrue();
	}

	@Test
	void oneAttemptMeansNoRetry() {
		WorkerRetryPolicy once = new WorkerRetryPolicy(1, new FixedBackOff(10), List.of());
		assertThat(once.shouldRetry(new IllegalStateException(), 1)).isFalse();
	}

	private static List<Duration> waits(WorkerRetryPolicy policy, int count) {
		WorkerRetryPolicy.Backoffs backoffs = policy.start();
		List<Duration> waits = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			waits.add(backoffs.next());
		}
		return waits;
	}

}
