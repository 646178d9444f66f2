package io.kafkaworker.commit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import io.kafkaworker.offset.CompletedOffsets;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OffsetCommitter}'s bookkeeping, against kafka-clients'
 * {@link MockConsumer}: the commit interval on an injected clock, which partitions are
 * committed and at which offset, and what a failed commit leaves behind.
 */
class OffsetCommitterTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private static final Duration INTERVAL = Duration.ofSeconds(5);

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final AtomicLong clock = new AtomicLong(123_456_789L);

	private final ScriptedConsumer consumer = new ScriptedConsumer();

	private final List<Attempt> attempts = new ArrayList<>();

	private final OffsetCommitter committer = new OffsetCommitter("orders-worker", INTERVAL, TIMEOUT, 0,
			this.clock::get,
			(offsets, duration, failure) -> this.attempts.add(new Attempt(Map.copyOf(offsets), duration, failure)));

	private final PartitionOffsets p0 = new PartitionOffsets(P0);

	private final PartitionOffsets p1 = new PartitionOffsets(P1);

	@BeforeEach
	void assignPartitions() {
		this.consumer.assign(List.of(P0, P1));
		this.consumer.seek(P0, 0);
		this.consumer.seek(P1, 0);
	}

	@Test
	void commitIfDueWithinATimeBlocksNoLongerThanThatTimeNorTheCommitTimeout() {
		receiveAndComplete(this.p0, 0, 3);
		this.clock.addAndGet(INTERVAL.toNanos());
		this.committer.commitIfDue(this.consumer, List.of(this.p0), Duration.ZERO);
		assertThat(this.consumer.commits).as("no time left: no commit").isEmpty();
		this.committer.commitIfDue(this.consumer, List.of(this.p0), Duration.ofMillis(700));
		receiveAndComplete(this.p0, 3, 4);
		this.clock.addAndGet(INTERVAL.toNanos());
		this.committer.commitIfDue(this.consumer, List.of(this.p0), Duration.ofMinutes(1));
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(3)),
				Map.of(P0, new OffsetAndMetadata(4)));
		assertThat(this.consumer.timeouts).containsExactly(Duration.ofMillis(700), TIMEOUT);
	}

	@Test
	void commitIfDueWaitsForTheCommitInterval() {
		receiveAndComplete(this.p0, 0, 3);
		this.clock.addAndGet(INTERVAL.toNanos() - 1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).isEmpty();
		this.clock.addAndGet(1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(3)));
		assertThat(committed(P0)).isEqualTo(3);
		receiveAndComplete(this.p0, 3, 4);
		this.clock.addAndGet(INTERVAL.toNanos() - 1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).hasSize(1);
		this.clock.addAndGet(1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(4)));
	}

	@Test
	void intervalCountsFromTheLastAttemptEvenWhenNothingNeededCommitting() {
		this.clock.addAndGet(INTERVAL.toNanos());
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		int commits = this.consumer.commits.size();
		receiveAndComplete(this.p0, 0, 1);
		this.clock.addAndGet(INTERVAL.toNanos() - 1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).hasSize(commits);
	}

	@Test
	void commitsThePositionOfAPartitionThatReturnedNoRecord() {
		// Aborted transactions or markers only: the consumer moved past them without
		// returning a record, and the group's offset should follow it to the log end.
		this.consumer.seek(P0, 7);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, offset(7)));
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).hasSize(1);
	}

	@Test
	void commitsNothingForAPartitionWhosePositionIsUnknown() {
		this.consumer.positionFailure = new TimeoutException("position unknown");
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isTrue();
		assertThat(this.consumer.commits).isEmpty();
		assertThat(this.attempts).isEmpty();
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(-1);
	}

	@Test
	void commitsOnlyThePartitionsWhoseCommittableOffsetMoved() {
		receiveAndComplete(this.p0, 0, 3);
		receiveAndComplete(this.p1, 0, 2);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isTrue();
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, offset(3), P1, offset(2)));
		receiveAndComplete(this.p0, 3, 5);
		this.p1.receive(2);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isTrue();
		assertThat(this.consumer.commits).last().isEqualTo(Map.of(P0, offset(5)));
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isTrue();
		assertThat(this.consumer.commits).hasSize(2);
		assertThat(this.attempts).hasSize(2);
	}

	@Test
	void committedOffsetStopsAtTheOldestIncompleteRecordWhateverThePosition() {
		for (long offset = 0; offset < 5; offset++) {
			this.p0.receive(offset);
		}
		this.consumer.seek(P0, 5);
		this.p0.complete(0);
		this.p0.complete(1);
		this.p0.complete(3);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(2);
		this.p0.complete(2);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(4);
		this.consumer.seek(P0, 9);
		this.p0.complete(4);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).as("everything complete: up to the position").isEqualTo(9);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(9);
	}

	@Test
	void whenEveryRecordIsCompleteThePositionIsCommittedIfItIsAhead() {
		// Transaction markers after the last record move the position past it.
		receiveAndComplete(this.p0, 0, 10);
		this.consumer.seek(P0, 12);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(12);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(12);
	}

	@Test
	void whenEveryRecordIsCompleteAndThePositionIsBehindOnePastTheLastRecordIsCommitted() {
		receiveAndComplete(this.p0, 0, 10);
		this.consumer.seek(P0, 3);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(10);
	}

	@Test
	void unknownPositionFallsBackToOnePastTheLastRecord() {
		receiveAndComplete(this.p0, 0, 10);
		this.consumer.seek(P0, 20);
		this.consumer.positionFailure = new TimeoutException("position unknown");
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(10);
		receiveAndComplete(this.p0, 10, 11);
		this.consumer.positionFailure = new IllegalStateException("not assigned");
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(11);
	}

	@Test
	void positionIsNotAskedForWhileARecordIsIncomplete() {
		receiveAndComplete(this.p0, 0, 3);
		this.p0.receive(3);
		this.consumer.positionFailure = new IllegalStateException("must not be called");
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(committed(P0)).isEqualTo(3);
		assertThat(this.consumer.positionCalls).isZero();
	}

	@Test
	void failedCommitReturnsFalseKeepsTheLastCommittedOffsetsAndTheNextAttemptCommits() {
		receiveAndComplete(this.p0, 0, 3);
		this.committer.commitNow(this.consumer, List.of(this.p0, this.p1));
		receiveAndComplete(this.p0, 3, 6);
		receiveAndComplete(this.p1, 0, 2);
		CommitFailedException failure = new CommitFailedException("group rebalanced");
		this.consumer.failures.add(failure);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isFalse();
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(3);
		// the first commit moved P1 to its position, 0, before it returned anything
		assertThat(this.committer.lastCommitted(P1)).isEqualTo(0);
		assertThat(committed(P0)).isEqualTo(3);
		assertThat(this.attempts).last().satisfies((attempt) -> {
			assertThat(attempt.offsets()).isEqualTo(Map.of(P0, offset(6), P1, offset(2)));
			assertThat(attempt.failure()).isSameAs(failure);
		});
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0, this.p1))).isTrue();
		assertThat(this.consumer.commits).last().isEqualTo(Map.of(P0, offset(6), P1, offset(2)));
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(6);
		assertThat(this.committer.lastCommitted(P1)).isEqualTo(2);
		assertThat(this.attempts).last().extracting(Attempt::failure).isNull();
	}

	@Test
	void failedPeriodicCommitIsRetriedAtTheNextInterval() {
		receiveAndComplete(this.p0, 0, 3);
		this.consumer.failures.add(new RebalanceInProgressException("rebalancing"));
		this.clock.addAndGet(INTERVAL.toNanos());
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).hasSize(1);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(-1);
		this.clock.addAndGet(INTERVAL.toNanos() - 1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).hasSize(1);
		this.clock.addAndGet(1);
		this.committer.commitIfDue(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).hasSize(2);
		assertThat(committed(P0)).isEqualTo(3);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(3);
	}

	@Test
	void wakeupDuringACommitIsRetriedOnce() {
		receiveAndComplete(this.p0, 0, 3);
		this.consumer.failures.add(new WakeupException());
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, offset(3)), Map.of(P0, offset(3)));
		assertThat(committed(P0)).isEqualTo(3);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(3);
		assertThat(this.attempts).singleElement().extracting(Attempt::failure).isNull();
	}

	@Test
	void wakeUpsThatKeepComingFailTheCommitAfterFiveAttempts() {
		receiveAndComplete(this.p0, 0, 3);
		for (int i = 0; i < 5; i++) {
			this.consumer.failures.add(new WakeupException());
		}
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isFalse();
		assertThat(this.consumer.commits).hasSize(5);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(-1);
		assertThat(committed(P0)).isNull();
		assertThat(this.attempts).singleElement().extracting(Attempt::failure).isInstanceOf(WakeupException.class);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(committed(P0)).isEqualTo(3);
	}

	@Test
	void interruptDuringACommitIsRethrownAndReported() {
		receiveAndComplete(this.p0, 0, 3);
		InterruptException interrupt = new InterruptException("interrupted");
		// Creating the exception interrupted this thread; only the commit should see it.
		Thread.interrupted();
		this.consumer.failures.add(interrupt);
		try {
			assertThatExceptionOfType(InterruptException.class)
				.isThrownBy(() -> this.committer.commitNow(this.consumer, List.of(this.p0)))
				.isSameAs(interrupt);
			assertThat(this.committer.lastCommitted(P0)).isEqualTo(-1);
			assertThat(this.attempts).singleElement().extracting(Attempt::failure).isSameAs(interrupt);
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void commitUsesTheConfiguredTimeoutAndReportsTheDurationOnTheClock() {
		receiveAndComplete(this.p0, 0, 3);
		this.consumer.duringCommit = () -> this.clock.addAndGet(Duration.ofMillis(7).toNanos());
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(this.consumer.timeouts).containsExactly(TIMEOUT);
		assertThat(this.attempts).singleElement().extracting(Attempt::duration).isEqualTo(Duration.ofMillis(7));
	}

	@Test
	void commitOfGivenOffsetsCommitsThemAsGiven() {
		assertThat(this.committer.commit(this.consumer, Map.of(P0, offset(42), P1, offset(7)))).isTrue();
		assertThat(committed(P0)).isEqualTo(42);
		assertThat(committed(P1)).isEqualTo(7);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(42);
		assertThat(this.committer.lastCommitted(P1)).isEqualTo(7);
		assertThat(this.committer.commit(this.consumer, Map.of())).isTrue();
		assertThat(this.consumer.commits).hasSize(1);
	}

	@Test
	void neverCommitsAnOffsetBelowTheLastOneCommitted() {
		// At-most-once commits past a poll before handling it: the periodic commit of
		// the same partition must not move the group's offset back.
		this.committer.commit(this.consumer, Map.of(P0, offset(10)));
		for (long offset = 0; offset < 10; offset++) {
			this.p0.receive(offset);
		}
		this.p0.complete(0);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).hasSize(1);
		assertThat(committed(P0)).isEqualTo(10);
	}

	@Test
	void forgottenPartitionIsCommittedAgain() {
		receiveAndComplete(this.p0, 0, 3);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		this.committer.forget(P0);
		assertThat(this.committer.lastCommitted(P0)).isEqualTo(-1);
		this.committer.commitNow(this.consumer, List.of(this.p0));
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, offset(3)), Map.of(P0, offset(3)));
	}

	@Test
	void commitsTheRecordsCompleteAboveTheOffsetAsMetadataAndAgainWhenMoreComplete() {
		OffsetCommitter withMetadata = metadataCommitter(4096);
		long first = this.p0.receive(new long[] { 0, 1, 2, 3, 4 }, new int[5], 5);
		this.p0.complete(first + 1);
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		OffsetAndMetadata committed = this.consumer.commits.get(0).get(P0);
		assertThat(committed.offset()).isZero();
		assertThat(CompletedOffsets.decode(0, committed.metadata()))
			.isEqualTo(CompletedOffsets.of(0, new long[] { 1, 2 }, 2));
		// Nothing new: no commit.
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).hasSize(1);
		// More complete above the same offset: the same offset again, with them.
		this.p0.complete(first + 3);
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).hasSize(2);
		assertThat(CompletedOffsets.decode(0, this.consumer.commits.get(1).get(P0).metadata()))
			.isEqualTo(CompletedOffsets.of(0, new long[] { 1, 2, 3, 4 }, 4));
		this.p0.complete(first);
		this.p0.complete(first + 2);
		this.p0.complete(first + 4);
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits.get(2)).isEqualTo(Map.of(P0, new OffsetAndMetadata(5, "")));
	}

	@Test
	void aNewOwnerThatCommitsBeforeReceivingTheRecordsHandledBeforeCommitsThemAgain() {
		CompletedOffsets before = CompletedOffsets.of(0, new long[] { 1, 200 }, 2);
		this.consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, before.encode(4096))));
		this.consumer.commits.clear();
		OffsetCommitter withMetadata = metadataCommitter(4096);
		PartitionOffsets next = new PartitionOffsets(P0);
		withMetadata.resume(this.consumer, List.of(next));
		// stopped or revoked before its first poll returned anything
		assertThat(withMetadata.commitNow(this.consumer, List.of(next))).isTrue();
		assertThat(CompletedOffsets.decode(0, this.consumer.commits.get(0).get(P0).metadata())).isEqualTo(before);
		// the first record fails again and freezes the partition: 1 to 199 stay listed
		next.receive(0);
		assertThat(withMetadata.commitNow(this.consumer, List.of(next))).isTrue();
		assertThat(CompletedOffsets.decode(0, committedMetadata(P0))).isEqualTo(before);
	}

	@Test
	void aWakeUpWhileReadingTheCommittedOffsetsIsRetried() {
		CompletedOffsets before = CompletedOffsets.of(0, new long[] { 1, 200 }, 2);
		this.consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, before.encode(4096))));
		this.consumer.committedFailures.add(new WakeupException());
		this.consumer.committedFailures.add(new WakeupException());
		PartitionOffsets next = new PartitionOffsets(P0);
		metadataCommitter(4096).resume(this.consumer, List.of(next));
		assertThat(next.skipsHandled()).isTrue();
		assertThat(this.consumer.committedFailures).isEmpty();
	}

	@Test
	void aPartitionWithNothingCommittedGetsItsPositionCommittedOnResume() {
		this.consumer.commitSync(Map.of(P0, new OffsetAndMetadata(4)));
		this.consumer.seek(P1, 7);
		this.consumer.commits.clear();
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P0), new PartitionOffsets(P1)));
		assertThat(this.consumer.commits).containsExactly(Map.of(P1, new OffsetAndMetadata(7)));
		assertThat(this.attempts).as("not a commit of handled records").isEmpty();
		// Committed now: the next assignment commits nothing.
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P1)));
		assertThat(this.consumer.commits).hasSize(1);
	}

	@Test
	void theCommitOnResumeIsMadeDespiteWakeUpsAndAFailureOfItIsNotThrown() {
		this.consumer.committedFailures.add(new WakeupException());
		this.consumer.failures.add(new WakeupException());
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P0)));
		assertThat(this.consumer.commits).hasSize(2).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(0)));
		assertThat(this.consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(0));
		this.consumer.failures.add(new CommitFailedException("kicked out"));
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P1)));
		assertThat(this.consumer.committed(Set.of(P1)).get(P1)).isNull();
	}

	@Test
	void aWakeUpSpentByACallIsReportedOnceSoThatThePollGetsItAgain() {
		assertThat(this.committer.takeSpentWakeUp()).isFalse();
		this.consumer.committedFailures.add(new WakeupException());
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P0)));
		assertThat(this.committer.takeSpentWakeUp()).isTrue();
		assertThat(this.committer.takeSpentWakeUp()).isFalse();
		receiveAndComplete(this.p1, 0, 2);
		this.consumer.failures.add(new WakeupException());
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p1))).isTrue();
		assertThat(this.committer.takeSpentWakeUp()).isTrue();
	}

	@Test
	void afterAPositionCannotBeReadTheOthersAreNotAskedForOnAssignment() {
		this.consumer.positionFailure = new TimeoutException("no broker");
		this.committer.resume(this.consumer, List.of(new PartitionOffsets(P0), new PartitionOffsets(P1)));
		assertThat(this.consumer.positionCalls).isEqualTo(1);
		assertThat(this.consumer.commits).isEmpty();
	}

	@Test
	void exactlyOnceCommitsTheUncommittedPositionsAndSkipsNothing() {
		CompletedOffsets before = CompletedOffsets.of(0, new long[] { 1, 200 }, 2);
		this.consumer.commitSync(Map.of(P0, new OffsetAndMetadata(0, before.encode(4096))));
		this.consumer.seek(P1, 3);
		this.consumer.commits.clear();
		PartitionOffsets next = new PartitionOffsets(P0);
		metadataCommitter(4096).commitUncommittedPositions(this.consumer, List.of(next, new PartitionOffsets(P1)));
		assertThat(next.skipsHandled()).isFalse();
		assertThat(this.consumer.commits).containsExactly(Map.of(P1, new OffsetAndMetadata(3)));
	}

	@Test
	void withoutALimitNoMetadataIsWrittenOrRead() {
		long first = this.p0.receive(new long[] { 0, 1 }, new int[2], 2);
		this.p0.complete(first + 1);
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(0, "")));
		this.consumer.commitSync(
				Map.of(P0, new OffsetAndMetadata(0, CompletedOffsets.of(0, new long[] { 1, 2 }, 2).encode(100))));
		PartitionOffsets next = new PartitionOffsets(P0);
		this.committer.resume(this.consumer, List.of(next));
		assertThat(next.skipsHandled()).isFalse();
	}

	@Test
	void metadataOverTheLimitIsLeftOutAndTheOffsetStillCommitted() {
		OffsetCommitter withMetadata = metadataCommitter(12);
		long[] received = new long[200];
		for (int i = 0; i < received.length; i++) {
			received[i] = i * 3L;
		}
		long first = this.p0.receive(received, new int[received.length], received.length);
		for (int i = 1; i < received.length; i += 2) {
			this.p0.complete(first + i);
		}
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).containsExactly(Map.of(P0, new OffsetAndMetadata(0, "")));
	}

	@Test
	void aBrokerThatRefusesTheMetadataGetsTheOffsetAloneFromThenOn() {
		OffsetCommitter withMetadata = metadataCommitter(4096);
		long first = this.p0.receive(new long[] { 0, 1, 2 }, new int[3], 3);
		this.p0.complete(first + 1);
		this.consumer.failures.add(new OffsetMetadataTooLarge("metadata too large"));
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).hasSize(2);
		assertThat(this.consumer.commits.get(0).get(P0).metadata()).isNotEmpty();
		assertThat(this.consumer.commits.get(1)).isEqualTo(Map.of(P0, new OffsetAndMetadata(0, "")));
		assertThat(committed(P0)).isZero();
		this.p0.complete(first + 2);
		this.p0.complete(first);
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.consumer.commits).last().isEqualTo(Map.of(P0, new OffsetAndMetadata(3, "")));
	}

	@Test
	void aCommitRefusedForARebalanceSaysSoUntilACommitSucceeds() {
		receiveAndComplete(this.p0, 0, 2);
		this.consumer.failures.add(new RebalanceInProgressException("rebalancing"));
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isFalse();
		assertThat(this.committer.failedForRebalance()).isTrue();
		this.consumer.failures.add(new CommitFailedException("kicked out"));
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isFalse();
		assertThat(this.committer.failedForRebalance()).isFalse();
		this.consumer.failures.add(new RebalanceInProgressException("rebalancing"));
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isFalse();
		assertThat(this.committer.commitNow(this.consumer, List.of(this.p0))).isTrue();
		assertThat(this.committer.failedForRebalance()).isFalse();
		assertThat(committed(P0)).isEqualTo(2);
	}

	@Test
	void resumeTellsANewAssignmentWhichRecordsWereHandledAboveTheCommittedOffset() {
		OffsetCommitter withMetadata = metadataCommitter(4096);
		long first = this.p0.receive(new long[] { 10, 11, 12, 13 }, new int[4], 4);
		this.p0.complete(first + 1);
		this.p0.complete(first + 3);
		assertThat(withMetadata.commitNow(this.consumer, List.of(this.p0))).isTrue();
		// The next owner: 10 and 12 run again, 11 and 13 do not.
		PartitionOffsets next = new PartitionOffsets(P0);
		PartitionOffsets untouched = new PartitionOffsets(P1);
		metadataCommitter(4096).resume(this.consumer, List.of(next, untouched));
		assertThat(untouched.skipsHandled()).isFalse();
		long again = next.receive(new long[] { 10, 11, 12, 13, 14 }, new int[5], 5);
		assertThat(LongStream.range(again, again + 5)
			.filter(next::isComplete)
			.map((sequence) -> sequence - again + 10)
			.boxed()
			.toList()).containsExactly(11L, 13L);
	}

	private OffsetCommitter metadataCommitter(int limit) {
		return new OffsetCommitter("orders-worker", INTERVAL, TIMEOUT, limit, this.clock::get,
				(offsets, duration, failure) -> this.attempts.add(new Attempt(Map.copyOf(offsets), duration, failure)));
	}

	private @Nullable Long committed(TopicPartition partition) {
		OffsetAndMetadata committed = this.consumer.committed(Set.of(partition)).get(partition);
		return (committed != null) ? committed.offset() : null;
	}

	private @Nullable String committedMetadata(TopicPartition partition) {
		OffsetAndMetadata committed = this.consumer.committed(Set.of(partition)).get(partition);
		return (committed != null) ? committed.metadata() : null;
	}

	private static OffsetAndMetadata offset(long offset) {
		return new OffsetAndMetadata(offset);
	}

	// Receive the offsets from (inclusive) to (exclusive) and complete them.
	private static void receiveAndComplete(PartitionOffsets partition, long from, long to) {
		for (long offset = from; offset < to; offset++) {
			partition.complete(partition.receive(offset));
		}
	}

	record Attempt(Map<TopicPartition, OffsetAndMetadata> offsets, Duration duration, @Nullable Exception failure) {

	}

	/**
	 * A {@link MockConsumer} that records commits and can be told to fail them, or to
	 * fail position look-ups.
	 */
	static final class ScriptedConsumer extends MockConsumer<Object, Object> {

		final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();

		final List<Duration> timeouts = new ArrayList<>();

		final Deque<RuntimeException> failures = new ArrayDeque<>();

		final Deque<RuntimeException> committedFailures = new ArrayDeque<>();

		Runnable duringCommit = () -> {
		};

		@Nullable RuntimeException positionFailure;

		int positionCalls;

		ScriptedConsumer() {
			super("earliest");
		}

		@Override
		public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
			this.commits.add(Map.copyOf(offsets));
			this.timeouts.add(timeout);
			this.duringCommit.run();
			RuntimeException failure = this.failures.poll();
			if (failure != null) {
				throw failure;
			}
			super.commitSync(offsets, timeout);
		}

		@Override
		public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions,
				Duration timeout) {
			RuntimeException failure = this.committedFailures.poll();
			if (failure != null) {
				throw failure;
			}
			return super.committed(partitions, timeout);
		}

		@Override
		public synchronized long position(TopicPartition partition, Duration timeout) {
			this.positionCalls++;
			RuntimeException failure = this.positionFailure;
			if (failure != null) {
				throw failure;
			}
			return super.position(partition, timeout);
		}

	}

}
