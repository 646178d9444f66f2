package io.kafkaworker.test.tester;

import java.util.stream.IntStream;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.state.TableRow;
import io.kafkaworker.test.KafkaWorkerTester;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stateful workers in the tester: set a row, feed records, assert the new row; a
 * rebalance restores the table from its topic; a failed attempt changes nothing.
 */
class GroupTableTesterTests {

	@Test
	void aRowSetBeforeTheRecordsIsWhereTheCountContinues() {
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(new ClickCounter()).topic("clicks", 3).start()) {
			tester.setRow("clicks-table", "user-1", 41L);
			tester.send("clicks", "user-1", "home");
			tester.send("clicks", "user-2", "home");
			tester.runUntilIdle();
			assertThat(tester.row("clicks-table", "user-1", Long.class)).isEqualTo(42L);
			assertThat(tester.row("clicks-table", "user-2", Long.class)).isEqualTo(1L);
			assertThat(tester.row("clicks-table", "user-3", Long.class)).isNull();
		}
	}

	@Test
	void countsSurviveARebalanceAndFailedAttemptsChangeNothing() {
		ClickCounter counter = new ClickCounter();
		try (KafkaWorkerTester tester = KafkaWorkerTester.forHandlers(counter)
			.topic("clicks", 3)
			.property("kafka.worker.workers.clicks.retry.backoff.initial", "1s")
			.start()) {
			IntStream.range(0, 20).forEach((i) -> tester.send("clicks", "user-" + (i % 4), "page-" + i));
			tester.runUntilIdle().rebalance();
			tester.send("clicks", "user-0", "fail");
			tester.runUntilIdle();
			assertThat(tester.row("clicks-table", "user-0", Long.class)).as("the failed attempt's change")
				.isEqualTo(5L);
			tester.advanceTime(java.time.Duration.ofSeconds(2));
			IntStream.range(0, 4)
				.forEach(
						(user) -> assertThat(tester.row("clicks-table", "user-" + user, Long.class)).as("user-%d", user)
							.isEqualTo((user == 0) ? 6L : 5L));
		}
	}

	public static class ClickCounter {

		private boolean failed;

		@KafkaBatchWorker(id = "clicks", topics = "clicks", mode = Mode.KEY)
		public void count(ConsumerRecord<String, String> click, TableRow<Long> clicks) {
			clicks.set(clicks.getOrDefault(0L) + 1);
			if ("fail".equals(click.value()) && !this.failed) {
				this.failed = true;
				throw new IllegalStateException("fails once, after counting");
			}
		}

	}

}
