package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RevocationWaitTests {

	private final AtomicLong now = new AtomicLong(5_000);

	private final RevocationWait wait = new RevocationWait(Duration.ofSeconds(10), this.now::get);

	@Test
	void theWholeRevokeTimeoutUnlessCut() {
		assertThat(this.wait.fromNow()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void cutShortItEndsAtTheDeadlineAndNeverWaitsLongerThanTheTimeout() {
		this.wait.cutAt(this.now.get() + Duration.ofSeconds(3).toNanos());
		assertThat(this.wait.fromNow()).isEqualTo(Duration.ofSeconds(3));
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.wait.fromNow()).isEqualTo(Duration.ofSeconds(1));
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(this.wait.fromNow()).isZero();
		this.wait.cutAt(this.now.get() + Duration.ofMinutes(1).toNanos());
		assertThat(this.wait.fromNow()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void restoredItWaitsTheWholeTimeoutAgain() {
		this.wait.cutAt(this.now.get());
		this.wait.restore();
		assertThat(this.wait.fromNow()).isEqualTo(Duration.ofSeconds(10));
	}

}
