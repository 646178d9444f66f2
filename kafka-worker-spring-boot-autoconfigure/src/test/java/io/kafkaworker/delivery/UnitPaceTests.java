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
	void nothingJoinsBeforeAUnitEnded() {
		assertThat(this.pace.mayJoin(0, 2_000, 1)).isFalse();
	}

	@Test
	void recordsJoinWhileTheUnitEndsWithinTheTargetAtThePaceOfTheUnitBefore() {
		// P1 of the harness: 2,000 records of one partition in 250 ms (125 µs each).
		this.pace.committed(2_000, millis(250));
		assertThat(this.pace.mayJoin(millis(5), 2_000, 4_000)).isTrue();
		assertThat(this.pace.mayJoin(millis(5), 6_000, 2_000)).isFalse();
	}

	@Test
	void whatTheUnitHasRunCounts() {
		this.pace.committed(2_000, millis(250));
		assertThat(this.pace.mayJoin(millis(600), 2_000, 1_000)).as("0.6 s run, 0.375 s to go").isTrue();
		assertThat(this.pace.mayJoin(millis(700), 2_000, 1_000)).as("0.7 s run, 0.375 s to go").isFalse();
		assertThat(this.pace.mayJoin(millis(700), 0, 2_000)).as("0.7 s run, 0.25 s to go").isTrue();
	}

	@Test
	void withSlowHandlersNothingJoinsAndAUnitIsOnePoll() {
		// 2,000 records of 100 ms at concurrency 16: 12.5 s.
		this.pace.committed(2_000, millis(12_500));
		assertThat(this.pace.mayJoin(0, 2_000, 1)).as("the next unit's first poll just dispatched").isFalse();
	}

	@Test
	void theLastCommittedUnitSetsThePace() {
		this.pace.committed(2_000, millis(12_500));
		this.pace.committed(12_000, millis(900));
		assertThat(this.pace.mayJoin(0, 2_000, 10_000)).isTrue();
		this.pace.committed(0, 0);
		assertThat(this.pace.mayJoin(0, 2_000, 10_000)).as("an empty unit tells nothing").isTrue();
	}

	@Test
	void anAbortedUnitMakesThePaceSlowerNeverFaster() {
		this.pace.committed(12_000, millis(900));
		this.pace.aborted(12_000, millis(100));
		assertThat(this.pace.mayJoin(0, 2_000, 10_000)).as("aborted early by a failure").isTrue();
		// Handlers slowed down 60 times: the broker aborted the unit after its
		// transaction timeout.
		this.pace.aborted(12_000, millis(60_000));
		assertThat(this.pace.mayJoin(0, 2_000, 1)).isFalse();
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
