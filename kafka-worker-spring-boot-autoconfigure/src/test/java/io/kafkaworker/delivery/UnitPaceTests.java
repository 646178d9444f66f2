package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnitPace}.
 */
class UnitPaceTests {

	private final UnitPace pace = new UnitPace(Duration.ofSeconds(1));

	@Test
	void nothingJoinsBeforeAUnitWasCommitted() {
		assertThat(this.pace.mayJoin(2_000, 1)).isFalse();
	}

	@Test
	void recordsJoinWhileTheUnitIsHandledWithinTheTargetAtTheLastUnitsPace() {
		// P1 of the harness: 2,000 records of one partition in 250 ms (125 µs each).
		this.pace.committed(2_000, millis(250));
		assertThat(this.pace.mayJoin(2_000, 6_000)).isTrue();
		assertThat(this.pace.mayJoin(8_000, 2_000)).isFalse();
	}

	@Test
	void withSlowHandlersNothingJoinsAndAUnitIsOnePoll() {
		// 2,000 records of 100 ms at concurrency 16: 12.5 s.
		this.pace.committed(2_000, millis(12_500));
		assertThat(this.pace.mayJoin(2_000, 1)).isFalse();
	}

	@Test
	void theLastCommittedUnitSetsThePace() {
		this.pace.committed(2_000, millis(12_500));
		this.pace.committed(12_000, millis(900));
		assertThat(this.pace.mayJoin(2_000, 10_000)).isTrue();
		this.pace.committed(0, 0);
		assertThat(this.pace.mayJoin(2_000, 10_000)).as("an empty unit tells nothing").isTrue();
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
