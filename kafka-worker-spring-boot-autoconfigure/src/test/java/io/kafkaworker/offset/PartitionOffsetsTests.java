package io.kafkaworker.offset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests for {@link PartitionOffsets}: the committable-offset watermark over gapped,
 * out-of-order completions, the ring buffer behind it, and the in-flight count that
 * revocation waits on.
 */
class PartitionOffsetsTests {

	private static final TopicPartition PARTITION = new TopicPartition("orders", 3);

	private final PartitionOffsets offsets = new PartitionOffsets(PARTITION);

	@Test
	void reportsNothingBeforeTheFirstRecord() {
		assertThat(this.offsets.topicPartition()).isEqualTo(PARTITION);
		assertThat(this.offsets.committableOffset()).isEqualTo(-1);
		assertThat(this.offsets.oldestIncompleteOffset()).isEqualTo(-1);
		assertThat(this.offsets.lastReceivedOffset()).isEqualTo(-1);
		assertThat(this.offsets.outstanding()).isZero();
		assertThat(this.offsets.inFlight()).isZero();
		assertThat(this.offsets.isRevoked()).isFalse();
	}

	@Test
	void receiveReturnsConsecutiveSequenceNumbersWhateverTheOffsets() {
		assertThat(this.offsets.receive(5)).isZero();
		assertThat(this.offsets.receive(9)).isEqualTo(1);
		assertThat(this.offsets.receive(10)).isEqualTo(2);
		this.offsets.complete(0);
		this.offsets.complete(1);
		assertThat(this.offsets.receive(42)).isEqualTo(3);
		assertThat(this.offsets.lastReceivedOffset()).isEqualTo(42);
	}

	@Test
	void committableOffsetStopsAtLowestIncompleteRecord() {
		receive(0, 1, 2, 3, 4);
		this.offsets.complete(1);
		this.offsets.complete(2);
		this.offsets.complete(4);
		assertThat(this.offsets.committableOffset()).isZero();
		assertThat(this.offsets.outstanding()).isEqualTo(2);
		this.offsets.complete(0);
		assertThat(this.offsets.committableOffset()).isEqualTo(3);
		assertThat(this.offsets.oldestIncompleteOffset()).isEqualTo(3);
		this.offsets.complete(3);
		assertThat(this.offsets.committableOffset()).isEqualTo(5);
		assertThat(this.offsets.oldestIncompleteOffset()).isEqualTo(-1);
		assertThat(this.offsets.outstanding()).isZero();
	}

	@Test
	void committableOffsetIsOnePastLastReceivedOffsetWhenEverythingIsComplete() {
		receive(7);
		assertThat(this.offsets.committableOffset()).isEqualTo(7);
		assertThat(this.offsets.complete(0)).isTrue();
		assertThat(this.offsets.committableOffset()).isEqualTo(8);
		assertThat(this.offsets.oldestIncompleteOffset()).isEqualTo(-1);
	}

	@Test
	void committableOffsetFollowsTheReceivedOffsetsAcrossGaps() {
		// Compaction and transaction markers leave holes: the watermark must jump to the
		// next offset really received, never to offset + 1.
		receive(5, 9, 10, 42);
		assertThat(this.offsets.committableOffset()).isEqualTo(5);
		this.offsets.complete(0);
		assertThat(this.offsets.committableOffset()).isEqualTo(9);
		this.offsets.complete(3);
		assertThat(this.offsets.committableOffset()).isEqualTo(9);
		this.offsets.complete(2);
		assertThat(this.offsets.committableOffset()).isEqualTo(9);
		this.offsets.complete(1);
		assertThat(this.offsets.committableOffset()).isEqualTo(43);
		receive(1_000);
		assertThat(this.offsets.committableOffset()).isEqualTo(1_000);
		this.offsets.complete(4);
		assertThat(this.offsets.committableOffset()).isEqualTo(1_001);
	}

	@Test
	void firstOffsetMayBeAnyNonNegativeOffset() {
		long sequence = this.offsets.receive(Long.MAX_VALUE - 10);
		assertThat(this.offsets.committableOffset()).isEqualTo(Long.MAX_VALUE - 10);
		this.offsets.complete(sequence);
		assertThat(this.offsets.committableOffset()).isEqualTo(Long.MAX_VALUE - 9);
	}

	@Test
	void repeatedCompletionChangesNothing() {
		receive(0, 1, 2);
		assertThat(this.offsets.complete(1)).isTrue();
		assertThat(this.offsets.complete(1)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(2);
		assertThat(this.offsets.committableOffset()).isZero();
		assertThat(this.offsets.complete(0)).isTrue();
		// Sequence 0 and 1 are now behind the watermark: completing them again is a
		// repeat of an old number and must not touch the ring slots they used to occupy.
		assertThat(this.offsets.complete(0)).isFalse();
		assertThat(this.offsets.complete(1)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(1);
		assertThat(this.offsets.committableOffset()).isEqualTo(2);
	}

	@Test
	void oldSequenceNumbersDoNotCompleteRecordsThatReusedTheirRingSlot() {
		// Fill the ring, drain it, and fill it again: sequence n and n + 64 share a slot.
		for (long offset = 0; offset < 64; offset++) {
			this.offsets.complete(this.offsets.receive(offset));
		}
		receive(100, 101);
		assertThat(this.offsets.capacity()).isEqualTo(64);
		assertThat(this.offsets.complete(0)).isFalse();
		assertThat(this.offsets.complete(1)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(2);
		assertThat(this.offsets.committableOffset()).isEqualTo(100);
	}

	@Test
	void sequenceNumbersThatWereNeverIssuedAreIgnored() {
		receive(3, 4);
		assertThat(this.offsets.complete(2)).isFalse();
		assertThat(this.offsets.complete(-1)).isFalse();
		assertThat(this.offsets.complete(Long.MAX_VALUE)).isFalse();
		assertThat(this.offsets.complete(Long.MIN_VALUE)).isFalse();
		assertThat(this.offsets.complete(64)).isFalse();
		assertThat(this.offsets.complete(65)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(2);
		assertThat(this.offsets.committableOffset()).isEqualTo(3);
	}

	@Test
	void extremeSequenceNumbersAreIgnoredOnceTheWatermarkMoved() {
		for (long offset = 0; offset < 10; offset++) {
			this.offsets.complete(this.offsets.receive(offset));
		}
		receive(10, 11);
		assertThat(this.offsets.complete(Long.MIN_VALUE)).isFalse();
		assertThat(this.offsets.complete(Long.MIN_VALUE + 10)).isFalse();
		assertThat(this.offsets.complete(Long.MAX_VALUE)).isFalse();
		assertThat(this.offsets.complete(-1)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(2);
		assertThat(this.offsets.complete(11)).isTrue();
		assertThat(this.offsets.committableOffset()).isEqualTo(10);
	}

	@Test
	void completionOnAnEmptyTrackerIsIgnored() {
		assertThat(this.offsets.complete(0)).isFalse();
		assertThat(this.offsets.committableOffset()).isEqualTo(-1);
		assertThat(this.offsets.outstanding()).isZero();
	}

	@Test
	void rejectsOffsetsThatDoNotIncreaseAndKeepsItsState() {
		receive(10, 20);
		this.offsets.complete(0);
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(20))
			.withMessageContaining("orders-3")
			.withMessageContaining("20");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(15));
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(0));
		assertThat(this.offsets.lastReceivedOffset()).isEqualTo(20);
		assertThat(this.offsets.outstanding()).isEqualTo(1);
		assertThat(this.offsets.committableOffset()).isEqualTo(20);
		assertThat(this.offsets.receive(21)).isEqualTo(2);
	}

	@Test
	void rejectsOffsetsThatDoNotIncreaseAfterEverythingCompleted() {
		this.offsets.complete(this.offsets.receive(10));
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(10));
		assertThat(this.offsets.committableOffset()).isEqualTo(11);
	}

	@Test
	void rejectsNegativeOffsets() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.offsets.receive(-5));
		assertThat(this.offsets.committableOffset()).isEqualTo(-1);
	}

	@Test
	void ringGrowsBeyondItsInitialCapacityAndKeepsEveryOffsetInOrder() {
		long[] received = LongStream.range(0, 300).map((i) -> i * 3 + ((i % 7 == 0) ? 1 : 0)).toArray();
		receive(received);
		assertThat(this.offsets.capacity()).isGreaterThanOrEqualTo(300);
		assertThat(this.offsets.snapshotOffsets()).containsExactly(received);
		assertThat(this.offsets.outstanding()).isEqualTo(300);
		// Complete from the newest to the oldest: the watermark must not move until the
		// very first record is complete.
		for (int sequence = 299; sequence > 0; sequence--) {
			assertThat(this.offsets.complete(sequence)).isTrue();
			assertThat(this.offsets.committableOffset()).isEqualTo(received[0]);
		}
		this.offsets.complete(0);
		assertThat(this.offsets.committableOffset()).isEqualTo(received[299] + 1);
		assertThat(this.offsets.snapshotOffsets()).isEmpty();
	}

	@Test
	void ringGrowsWhileWrappedAroundAndSequenceNumbersStillFindTheirRecords() {
		List<Long> sequences = new ArrayList<>();
		for (long offset = 0; offset < 64; offset++) {
			sequences.add(this.offsets.receive(offset * 2));
		}
		for (int i = 0; i < 40; i++) {
			this.offsets.complete(sequences.get(i));
		}
		// The head is now at slot 40: the next 40 records wrap around to slots 0..39,
		// and the one after them finds the ring full and makes it grow.
		for (long offset = 64; offset < 150; offset++) {
			sequences.add(this.offsets.receive(offset * 2));
		}
		assertThat(this.offsets.capacity()).isEqualTo(128);
		assertThat(this.offsets.snapshotOffsets())
			.containsExactly(LongStream.range(40, 150).map((offset) -> offset * 2).toArray());
		for (int i = 40; i < 150; i++) {
			assertThat(this.offsets.committableOffset()).isEqualTo(i * 2L);
			assertThat(this.offsets.complete(sequences.get(i))).as("sequence %d", sequences.get(i)).isTrue();
		}
		assertThat(this.offsets.committableOffset()).isEqualTo(299);
		assertThat(this.offsets.outstanding()).isZero();
	}

	@Test
	void ringIsReusedWithoutGrowingOverManyReceiveAndCompleteCycles() {
		Random random = new Random(7);
		long offset = 0;
		for (int cycle = 0; cycle < 5_000; cycle++) {
			int batch = 1 + random.nextInt(64);
			List<Long> sequences = new ArrayList<>();
			long first = offset;
			for (int i = 0; i < batch; i++) {
				sequences.add(this.offsets.receive(offset));
				offset += 1 + random.nextInt(3);
			}
			Collections.shuffle(sequences, random);
			for (long sequence : sequences) {
				long committable = this.offsets.committableOffset();
				if (committable < first || !this.offsets.complete(sequence)) {
					assertThat(committable).as("cycle %d", cycle).isGreaterThanOrEqualTo(first);
					fail("cycle %d: complete(%d) changed nothing", cycle, sequence);
				}
			}
			assertThat(this.offsets.committableOffset()).isEqualTo(this.offsets.lastReceivedOffset() + 1);
		}
		assertThat(this.offsets.capacity()).isEqualTo(64);
		assertThat(this.offsets.outstanding()).isZero();
	}

	@Test
	void startedAndEndedCountRecordsInFlight() {
		this.offsets.started(3);
		this.offsets.started(2);
		assertThat(this.offsets.inFlight()).isEqualTo(5);
		this.offsets.ended(3);
		assertThat(this.offsets.inFlight()).isEqualTo(2);
		this.offsets.ended(2);
		assertThat(this.offsets.inFlight()).isZero();
	}

	@Test
	void recordsStartUnlessThePartitionWasRevoked() throws Exception {
		assertThat(this.offsets.startUnlessRevoked(2)).isTrue();
		this.offsets.revoke();
		assertThat(this.offsets.startUnlessRevoked(1)).isFalse();
		assertThat(this.offsets.inFlight()).isEqualTo(2);
		this.offsets.ended(2);
		assertThat(this.offsets.awaitNothingInFlight(Duration.ZERO)).isTrue();
	}

	@Test
	void inFlightNeverGoesBelowZero() {
		this.offsets.started(1);
		this.offsets.ended(4);
		assertThat(this.offsets.inFlight()).isZero();
		this.offsets.started(1);
		assertThat(this.offsets.inFlight()).isEqualTo(1);
	}

	@Test
	void inFlightIsIndependentOfCompletion() {
		long sequence = this.offsets.receive(0);
		this.offsets.started(1);
		this.offsets.complete(sequence);
		assertThat(this.offsets.inFlight()).isEqualTo(1);
		assertThat(this.offsets.outstanding()).isZero();
		this.offsets.ended(1);
		assertThat(this.offsets.inFlight()).isZero();
	}

	@Test
	void awaitNothingInFlightReturnsAtOnceWhenNothingIsInFlight() throws InterruptedException {
		assertThat(this.offsets.awaitNothingInFlight(Duration.ZERO)).isTrue();
		this.offsets.started(2);
		this.offsets.ended(2);
		assertThat(this.offsets.awaitNothingInFlight(Duration.ofMillis(-1))).isTrue();
	}

	@Test
	void awaitNothingInFlightReturnsFalseAtOnceForANonPositiveTimeout() throws InterruptedException {
		this.offsets.started(1);
		assertThat(this.offsets.awaitNothingInFlight(Duration.ZERO)).isFalse();
		assertThat(this.offsets.awaitNothingInFlight(Duration.ofSeconds(-5))).isFalse();
	}

	@Test
	void awaitNothingInFlightAcceptsAVeryLongTimeout() throws InterruptedException {
		// "the longest time to wait": a timeout longer than Duration.toNanos() can
		// express (about 292 years) means "wait as long as it takes", not a failure.
		assertThat(this.offsets.awaitNothingInFlight(Duration.ofDays(365L * 1_000))).isTrue();
	}

	@Test
	void awaitNothingInFlightTimesOutWhileRecordsStayInFlight() throws InterruptedException {
		this.offsets.started(1);
		long start = System.nanoTime();
		assertThat(this.offsets.awaitNothingInFlight(Duration.ofMillis(30))).isFalse();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
		assertThat(this.offsets.inFlight()).isEqualTo(1);
	}

	@Test
	void awaitNothingInFlightWakesUpWhenAnotherThreadEndsTheLastCall() throws Exception {
		this.offsets.started(2);
		AtomicReference<Thread> waiter = new AtomicReference<>();
		CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> {
			waiter.set(Thread.currentThread());
			try {
				return this.offsets.awaitNothingInFlight(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		awaitWaiting(waiter);
		this.offsets.ended(1);
		// One record is still in flight: the waiter wakes, sees it, and waits again.
		awaitWaiting(waiter);
		assertThat(result).isNotDone();
		this.offsets.ended(1);
		assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void revokeDoesNotReleaseAWaiterWhileRecordsAreInFlight() throws Exception {
		this.offsets.started(1);
		AtomicReference<Thread> waiter = new AtomicReference<>();
		CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> {
			waiter.set(Thread.currentThread());
			try {
				return this.offsets.awaitNothingInFlight(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		awaitWaiting(waiter);
		this.offsets.revoke();
		awaitWaiting(waiter);
		assertThat(result).isNotDone();
		this.offsets.ended(1);
		assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void awaitNothingInFlightIsInterruptible() throws Exception {
		this.offsets.started(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			AtomicReference<Thread> waiter = new AtomicReference<>();
			Future<Boolean> result = executor.submit(() -> {
				waiter.set(Thread.currentThread());
				return this.offsets.awaitNothingInFlight(Duration.ofSeconds(30));
			});
			awaitWaiting(waiter);
			waiter.get().interrupt();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(InterruptedException.class);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void revokedPartitionStillAcceptsLateCompletions() {
		receive(1, 2);
		this.offsets.revoke();
		assertThat(this.offsets.isRevoked()).isTrue();
		assertThat(this.offsets.complete(0)).isTrue();
		assertThat(this.offsets.committableOffset()).isEqualTo(2);
		assertThat(this.offsets.toString()).contains("orders-3", "committable=2", "outstanding=1", "revoked");
	}

	@Test
	void completionsFromManyThreadsAreEachCountedOnce() throws Exception {
		int records = 20_000;
		List<Long> sequences = new ArrayList<>();
		for (long offset = 0; offset < records; offset++) {
			sequences.add(this.offsets.receive(offset * 2));
		}
		Collections.shuffle(sequences, new Random(11));
		int threads = 4;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> changed = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				// Every thread completes every sequence number: each must count once.
				List<Long> mine = new ArrayList<>(sequences);
				Collections.rotate(mine, t * records / threads);
				changed.add(executor.submit(() -> {
					start.await();
					int count = 0;
					for (long sequence : mine) {
						if (this.offsets.complete(sequence)) {
							count++;
						}
					}
					return count;
				}));
			}
			start.countDown();
			int total = 0;
			for (Future<Integer> future : changed) {
				total += future.get(10, TimeUnit.SECONDS);
			}
			assertThat(total).isEqualTo(records);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.offsets.outstanding()).isZero();
		assertThat(this.offsets.committableOffset()).isEqualTo((records - 1) * 2L + 1);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void committableOffsetMatchesAReferenceModelOnRandomisedRuns(long seed) {
		Random random = new Random(seed);
		PartitionOffsets tracker = new PartitionOffsets(PARTITION);
		// The model: the offset of every received record by sequence number, and the
		// records not complete yet.
		Map<Long, Long> offsetBySequence = new TreeMap<>();
		TreeMap<Long, Long> incomplete = new TreeMap<>();
		long nextOffset = random.nextInt(1_000);
		long nextSequence = 0;
		long lastReceived = -1;
		int maxOutstanding = 0;
		for (int step = 0; step < 20_000; step++) {
			// Phases that fill the ring (it grows) alternate with phases that drain it
			// (its head wraps around).
			boolean filling = (step / 500) % 3 != 2;
			int action = random.nextInt(100);
			String description;
			boolean expectedResult;
			boolean result;
			if (incomplete.isEmpty() || (filling && action < 55) || (!filling && action < 15)) {
				long offset = nextOffset;
				long sequence = tracker.receive(offset);
				description = "receive(" + offset + ") returned " + sequence;
				expectedResult = true;
				result = sequence == nextSequence;
				offsetBySequence.put(nextSequence, offset);
				incomplete.put(nextSequence, offset);
				lastReceived = offset;
				nextSequence++;
				int gap = random.nextInt(10);
				nextOffset += (gap < 6) ? 1 : (gap < 9) ? 2 + random.nextInt(20) : 1 + random.nextInt(1_000_000);
			}
			else if (action < 90) {
				// Complete an incomplete record: often the oldest, otherwise any, so that
				// completions arrive out of order and the watermark moves in jumps.
				long sequence = incomplete.firstKey();
				if (random.nextInt(4) != 0) {
					sequence = incomplete.floorKey(sequence + random.nextInt((int) (nextSequence - sequence)));
				}
				description = "complete(" + sequence + ")";
				expectedResult = true;
				result = tracker.complete(sequence);
				incomplete.remove(sequence);
			}
			else if (action < 97) {
				// Any sequence number issued so far: a repeat or a first completion.
				long sequence = random.nextInt((int) nextSequence);
				description = "complete(" + sequence + ") of any issued number";
				expectedResult = incomplete.containsKey(sequence);
				result = tracker.complete(sequence);
				incomplete.remove(sequence);
			}
			else {
				long sequence = nextSequence + random.nextInt(200);
				description = "complete(" + sequence + ") of a number never issued";
				expectedResult = false;
				result = tracker.complete(sequence);
			}
			maxOutstanding = Math.max(maxOutstanding, incomplete.size());
			long expectedOldest = incomplete.isEmpty() ? -1 : incomplete.firstEntry().getValue();
			long expectedCommittable = incomplete.isEmpty() ? ((lastReceived < 0) ? -1 : lastReceived + 1)
					: expectedOldest;
			if (result != expectedResult || tracker.committableOffset() != expectedCommittable
					|| tracker.outstanding() != incomplete.size() || tracker.oldestIncompleteOffset() != expectedOldest
					|| tracker.lastReceivedOffset() != lastReceived) {
				String context = "seed " + seed + ", step " + step + ", after " + description;
				assertThat(result).as("%s: result", context).isEqualTo(expectedResult);
				assertThat(tracker.committableOffset()).as("%s: committable offset", context)
					.isEqualTo(expectedCommittable);
				assertThat(tracker.outstanding()).as("%s: outstanding", context).isEqualTo(incomplete.size());
				assertThat(tracker.oldestIncompleteOffset()).as("%s: oldest incomplete", context)
					.isEqualTo(expectedOldest);
				assertThat(tracker.lastReceivedOffset()).as("%s: last received", context).isEqualTo(lastReceived);
			}
		}
		// The ring holds every record from the oldest incomplete one to the last one.
		long oldestIncomplete = incomplete.isEmpty() ? nextSequence : incomplete.firstKey();
		long[] expectedRing = offsetBySequence.entrySet()
			.stream()
			.filter((entry) -> entry.getKey() >= oldestIncomplete)
			.mapToLong(Map.Entry::getValue)
			.toArray();
		assertThat(tracker.snapshotOffsets()).as("seed %d: offsets kept in the ring", seed)
			.containsExactly(expectedRing);
		assertThat(maxOutstanding).as("seed %d: the run made the ring grow", seed).isGreaterThan(64);
	}

	@Test
	void completedAboveListsTheCompleteRecordsAboveTheOldestIncompleteOne() {
		long[] received = { 10, 11, 12, 15, 16, 20, 21 };
		long first = this.offsets.receive(received, new int[received.length], received.length);
		assertThat(this.offsets.completedAbove()).isSameAs(CompletedOffsets.NONE);
		this.offsets.complete(first + 1); // 11
		this.offsets.complete(first + 3); // 15
		this.offsets.complete(first + 4); // 16
		this.offsets.complete(first + 6); // 21
		CompletedOffsets above = this.offsets.completedAbove();
		assertThat(above.base()).isEqualTo(10).isEqualTo(this.offsets.committableOffset());
		// 13 and 14 are not in the log: they belong to the run after 12, ended by 15
		assertThat(LongStream.rangeClosed(10, 22).filter(above::contains).boxed().toList()).containsExactly(11L, 15L,
				16L, 17L, 18L, 19L, 21L);
		this.offsets.complete(first);
		this.offsets.complete(first + 2);
		assertThat(this.offsets.completedAbove()).isEqualTo(CompletedOffsets.of(20, new long[] { 21, 22 }, 2));
		this.offsets.complete(first + 5);
		assertThat(this.offsets.completedAbove()).isSameAs(CompletedOffsets.NONE);
	}

	@Test
	void recordsHandledBeforeAreCompleteOnReceiptAndTheWatermarkPassesThem() {
		this.offsets.skipHandled(CompletedOffsets.of(100, new long[] { 101, 103, 105, 106 }, 4));
		assertThat(this.offsets.skipsHandled()).isTrue();
		long[] received = { 100, 101, 102, 103, 104 };
		long first = this.offsets.receive(received, new int[] { 5, 5, 5, 5, 5 }, received.length);
		assertThat(this.offsets.isComplete(first)).isFalse();
		assertThat(this.offsets.isComplete(first + 1)).isTrue();
		assertThat(this.offsets.isComplete(first + 2)).isTrue();
		assertThat(this.offsets.isComplete(first + 3)).isFalse();
		assertThat(this.offsets.outstanding()).isEqualTo(3);
		assertThat(this.offsets.outstandingBytes()).isEqualTo(15);
		assertThat(this.offsets.committableOffset()).isEqualTo(100);
		// 105 is not received yet, but still complete
		assertThat(this.offsets.completedAbove())
			.isEqualTo(CompletedOffsets.of(100, new long[] { 101, 103, 105, 106 }, 4));
		this.offsets.complete(first);
		assertThat(this.offsets.committableOffset()).isEqualTo(103);
		this.offsets.complete(first + 3);
		this.offsets.complete(first + 4);
		// every record received is complete, and so is the next one: committable past it
		assertThat(this.offsets.committableOffset()).isEqualTo(106);
		assertThat(this.offsets.completedAbove()).isSameAs(CompletedOffsets.NONE);
		// 105 is the last handled before: received complete, the watermark moves past it
		assertThat(this.offsets.skipsHandled()).isTrue();
		long next = this.offsets.receive(new long[] { 105, 106 }, new int[2], 2);
		assertThat(this.offsets.skipsHandled()).isFalse();
		assertThat(this.offsets.isComplete(next)).isTrue();
		assertThat(this.offsets.isComplete(next + 1)).isFalse();
		assertThat(this.offsets.committableOffset()).isEqualTo(106);
	}

	@Test
	void aCommitBeforeEveryRecordHandledBeforeArrivedStillListsTheOnesNotReceived() {
		// 101, 102, 105 to 107 and 110 were complete when the earlier owner committed 100
		CompletedOffsets before = CompletedOffsets.of(100, new long[] { 101, 103, 105, 108, 110, 111 }, 6);
		this.offsets.skipHandled(before);
		assertThat(this.offsets.committableOffset()).isEqualTo(-1);
		assertThat(this.offsets.completedAbove()).isEqualTo(before);
		long first = this.offsets.receive(new long[] { 100, 101 }, new int[2], 2);
		assertThat(this.offsets.committableOffset()).isEqualTo(100);
		assertThat(this.offsets.completedAbove()).isEqualTo(before);
		this.offsets.complete(first);
		// 102 is not received, but complete: the committable offset passes it
		assertThat(this.offsets.committableOffset()).isEqualTo(103);
		assertThat(this.offsets.completedAbove())
			.isEqualTo(CompletedOffsets.of(103, new long[] { 105, 108, 110, 111 }, 4));
		long next = this.offsets.receive(new long[] { 103, 104, 105 }, new int[3], 3);
		this.offsets.complete(next + 1);
		assertThat(this.offsets.committableOffset()).isEqualTo(103);
		assertThat(this.offsets.completedAbove())
			.isEqualTo(CompletedOffsets.of(103, new long[] { 104, 108, 110, 111 }, 4));
	}

	@Test
	void aPollOfOnlyRecordsHandledBeforeMovesTheWatermarkPastThem() {
		this.offsets.skipHandled(CompletedOffsets.of(7, new long[] { 8, 10 }, 2));
		long first = this.offsets.receive(new long[] { 8, 9 }, new int[2], 2);
		assertThat(this.offsets.isComplete(first)).isTrue();
		assertThat(this.offsets.isComplete(first + 1)).isTrue();
		assertThat(this.offsets.outstanding()).isZero();
		assertThat(this.offsets.committableOffset()).isEqualTo(10);
	}

	static Stream<Long> seeds() {
		return Stream.of(1L, 42L, 20_250_601L, System.nanoTime());
	}

	private void receive(long... received) {
		for (long offset : received) {
			this.offsets.receive(offset);
		}
	}

	private static void awaitWaiting(AtomicReference<Thread> waiter) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			Thread thread = waiter.get();
			if (thread != null
					&& (thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING)) {
				return;
			}
			Thread.sleep(1);
		}
		throw new IllegalStateException("The waiting thread never started waiting");
	}

	@Test
	void receivingARunOfOffsetsGivesConsecutiveSequenceNumbersAndCountsTheirMemory() {
		PartitionOffsets partition = new PartitionOffsets(new TopicPartition("orders", 0));
		partition.receive(3);
		long first = partition.receive(new long[] { 5, 9, 10, 99 }, new int[] { 100, 200, 300, 999 }, 3);
		assertThat(first).isEqualTo(1);
		assertThat(partition.outstanding()).isEqualTo(4);
		assertThat(partition.outstandingBytes()).isEqualTo(600);
		assertThat(partition.lastReceivedOffset()).isEqualTo(10);
		partition.complete(first + 1);
		assertThat(partition.outstandingBytes()).isEqualTo(400);
		partition.complete(0);
		partition.complete(first);
		assertThat(partition.committableOffset()).isEqualTo(10);
		partition.complete(first + 2);
		assertThat(partition.outstandingBytes()).isZero();
		assertThat(partition.committableOffset()).isEqualTo(11);
	}

	@Test
	void aRunWithAnOffsetOutOfOrderIsRejectedWhole() {
		PartitionOffsets partition = new PartitionOffsets(new TopicPartition("orders", 0));
		partition.receive(7);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> partition.receive(new long[] { 8, 9, 9 }, new int[] { 1, 1, 1 }, 3));
		assertThat(partition.outstanding()).isEqualTo(1);
		assertThat(partition.lastReceivedOffset()).isEqualTo(7);
		assertThat(partition.receive(new long[] { 8 }, new int[] { 1 }, 1)).isEqualTo(1);
	}

}
