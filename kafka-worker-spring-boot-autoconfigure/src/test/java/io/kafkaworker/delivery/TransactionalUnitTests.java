package io.kafkaworker.delivery;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TransactionalUnit}'s timeline, the debug line of each committed
 * exactly-once unit.
 */
class TransactionalUnitTests {

	private static final TopicPartition FIRST = new TopicPartition("orders", 0);

	private static final TopicPartition SECOND = new TopicPartition("orders", 1);

	@Test
	void timelineCountsEachPartitionsRecordsFromItsFirstOffsetInTheUnitAndSplitsTheTime() {
		TransactionalUnit unit = new TransactionalUnit(millis(7));
		unit.firstOffsets.put(FIRST, 10L);
		unit.firstOffsets.put(SECOND, 0L);
		// No call reported the unit's end: the consumer thread saw it complete first.
		String timeline = unit.timeline(Map.of(FIRST, new OffsetAndMetadata(30), SECOND, new OffsetAndMetadata(5)),
				unit.beganNanos + millis(40), unit.beganNanos + millis(52));
		assertThat(timeline).isEqualTo("25 records of 2 partitions: 7 ms from the previous unit's end to this "
				+ "unit's poll, 40 ms to handle, 0 ms until the commit began, 12 ms to commit");
	}

	@Test
	void timelineOfAUnitWhoseLastCallReportedItsEndSplitsHandlingFromTheWaitForTheCommit() throws InterruptedException {
		TransactionalUnit unit = new TransactionalUnit(0);
		unit.firstOffsets.put(FIRST, 0L);
		Thread.sleep(2);
		// A unit without partitions is complete: the call that ends it reports so once.
		assertThat(unit.completedNow()).isTrue();
		assertThat(unit.completedNow()).isFalse();
		long commitStart = System.nanoTime() + millis(1000);
		String timeline = unit.timeline(Map.of(FIRST, new OffsetAndMetadata(1)), commitStart, commitStart);
		assertThat(timeline).startsWith("1 record of 1 partition: ")
			// At least the second this test puts between the end and the commit.
			.containsPattern(" ms to handle, 1\\d{3} ms until the commit began, 0 ms to commit$");
	}

	private static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
