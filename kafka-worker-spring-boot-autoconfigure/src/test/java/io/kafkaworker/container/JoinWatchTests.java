package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JoinWatch}: when its warnings fall due.
 */
class JoinWatchTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final JoinWatch watch = new JoinWatch("orders", "orders", "localhost:9092", this.now::get);

	@Test
	void firstWarningIsDueAfterTenSeconds() {
		advance(Duration.ofSeconds(9));
		assertThat(this.watch.warningDue()).isNull();
		advance(Duration.ofSeconds(1));
		assertThat(this.watch.warningDue()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.watch.warningDue()).isNull();
	}

	@Test
	void warningsBackOffByDoublingUpToFiveMinutes() {
		List<Long> warnedAt = new ArrayList<>();
		for (int second = 1; second <= 1800; second++) {
			advance(Duration.ofSeconds(1));
			Duration waited = this.watch.warningDue();
			if (waited != null) {
				warnedAt.add(waited.toSeconds());
			}
		}
		assertThat(warnedAt).containsExactly(10L, 30L, 70L, 150L, 310L, 610L, 910L, 1210L, 1510L);
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
