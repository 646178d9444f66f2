package io.kafkaworker.container;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The part of the shutdown timeout a drain keeps for its commit.
 */
class WorkerDrainReserveTests {

	@Test
	void aFifthOfTheTimeoutBoundedByASecondAndTheCommitTimeout() {
		assertThat(WorkerDrain.commitReserve(Duration.ofSeconds(20), Duration.ofSeconds(10)))
			.isEqualTo(Duration.ofSeconds(4));
		assertThat(WorkerDrain.commitReserve(Duration.ofSeconds(20), Duration.ofSeconds(2)))
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(WorkerDrain.commitReserve(Duration.ofSeconds(3), Duration.ofSeconds(10)))
			.isEqualTo(Duration.ofSeconds(1));
		assertThat(WorkerDrain.commitReserve(Duration.ofMillis(500), Duration.ofSeconds(10)))
			.isEqualTo(Duration.ofMillis(500));
	}

}
