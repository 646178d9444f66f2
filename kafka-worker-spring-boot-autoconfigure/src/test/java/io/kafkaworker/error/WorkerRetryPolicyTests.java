package io.kafkaworker.error;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerRetryPolicy}.
 */
class WorkerRetryPolicyTests {

	private final WorkerRetryPolicy policy = new WorkerRetryPolicy(4, Duration.ofMillis(100), 2.0,
			Duration.ofMillis(300), WorkerRetryPolicy.defaultNonRetryable(getClass().getClassLoader()));

	@Test
	void retriesUntilTheAttemptsAreUsedUp() {
		IllegalStateException failure = new IllegalStateException("database down");
		assertThat(this.policy.shouldRetry(failure, 1)).isTrue();
		assertThat(this.policy.shouldRetry(failure, 3)).isTrue();
		assertThat(this.policy.shouldRetry(failure, 4)).isFalse();
	}

	@Test
	void waitsGrowExponentiallyUpToTheMaximum() {
		WorkerRetryPolicy.Backoffs backoffs = this.policy.start();
		assertThat(List.of(backoffs.next(), backoffs.next(), backoffs.next(), backoffs.next())).containsExactly(
				Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300));
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
		WorkerRetryPolicy once = new WorkerRetryPolicy(1, Duration.ofMillis(10), 2.0, Duration.ofMillis(10), List.of());
		assertThat(once.shouldRetry(new IllegalStateException(), 1)).isFalse();
	}

}
