package io.kafkaworker.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Backpressure}: the pause and resume rules around the fair share, which
 * instance of a partition's progress a call applies to, and agreement between
 * {@link Backpressure} and the consumer's pause state when pauses and resumes race.
 */
class BackpressureTests {

	private final RecordingPauseControl control = new RecordingPauseControl();

	@Test
	void rejectsMaxRecordsBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backpressure(0, this.control))
			.withMessageContaining("maxRecords");
		assertThat(new Backpressure(1, this.control).maxRecords()).isEqualTo(1);
	}

	@Test
	void heldRecordsCountsTheOutstandingRecordsOfTrackedPartitions() {
		Backpressure backpressure = new Backpressure(100, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 5);
		receive(p1, 3);
		p0.complete(0);
		assertThat(backpressure.heldRecords()).isEqualTo(7);
		PartitionOffsets untracked = new PartitionOffsets(partition(2));
		receive(untracked, 50);
		assertThat(backpressure.heldRecords()).isEqualTo(7);
	}

	@Test
	void pausesNothingWhileTheWorkerHoldsAtMostMaxRecords() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		tracked(backpressure, 1);
		receive(p0, 10);
		backpressure.afterDispatch();
		assertThat(this.control.events()).isEmpty();
		assertThat(backpressure.pausedPartitions()).isEmpty();
	}

	@Test
	void pausesOnlyThePartitionsOverTheirFairShareOnceTheWorkerHoldsTooMuch() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 8);
		receive(p1, 3);
		backpressure.afterDispatch();
		assertThat(this.control.events()).containsExactly("pause orders-0");
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
	}

	@Test
	void partitionHoldingExactlyItsFairShareKeepsFlowing() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 6);
		receive(p1, 5);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
	}

	@Test
	void fairShareIsMaxRecordsDividedByTheTrackedPartitions() {
		Backpressure backpressure = new Backpressure(12, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		PartitionOffsets p2 = tracked(backpressure, 2);
		receive(p0, 5);
		receive(p1, 5);
		receive(p2, 4);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0), partition(1));
	}

	@Test
	void fairShareIsAtLeastOneRecord() {
		Backpressure backpressure = new Backpressure(3, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		for (int partition = 1; partition < 4; partition++) {
			receive(tracked(backpressure, partition), 1);
		}
		receive(p0, 2);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
	}

	@Test
	void pausedPartitionIsNotPausedAgain() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		receive(p0, 11);
		backpressure.afterDispatch();
		receive(p0, 5);
		backpressure.afterDispatch();
		assertThat(this.control.events()).containsExactly("pause orders-0");
	}

	@Test
	void revokedPartitionIsNotPaused() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		receive(p0, 20);
		p0.revoke();
		backpressure.afterDispatch();
		assertThat(this.control.events()).isEmpty();
	}

	@Test
	void progressedResumesAPartitionOnceItHoldsAtMostHalfItsFairShare() {
		Backpressure backpressure = new Backpressure(20, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 15);
		receive(p1, 8);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		complete(p0, 0, 9);
		backpressure.progressed(p0);
		assertThat(backpressure.pausedPartitions()).as("6 records held, half the share is 5")
			.containsExactly(partition(0));
		complete(p0, 9, 10);
		backpressure.progressed(p0);
		assertThat(backpressure.pausedPartitions()).isEmpty();
		assertThat(this.control.events()).containsExactly("pause orders-0", "resume orders-0");
	}

	@Test
	void progressedResumesAPartitionOnceTheWorkerHoldsAtMostHalfOfMaxRecords() {
		Backpressure backpressure = new Backpressure(20, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 15);
		receive(p1, 8);
		backpressure.afterDispatch();
		complete(p0, 0, 6);
		complete(p1, 0, 6);
		backpressure.progressed(p0);
		assertThat(backpressure.pausedPartitions()).as("11 records held, half of max is 10")
			.containsExactly(partition(0));
		complete(p1, 6, 7);
		backpressure.progressed(p0);
		assertThat(p0.outstanding()).isEqualTo(9);
		assertThat(backpressure.pausedPartitions()).isEmpty();
		assertThat(this.control.events()).containsExactly("pause orders-0", "resume orders-0");
	}

	@Test
	void progressedOfAPartitionThatIsNotPausedDoesNothing() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		receive(p0, 3);
		backpressure.progressed(p0);
		backpressure.progressed(new PartitionOffsets(partition(7)));
		assertThat(this.control.events()).isEmpty();
	}

	@Test
	void progressedOfAnotherInstanceOfThePartitionDoesNotResumeIt() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		receive(p0, 11);
		backpressure.afterDispatch();
		backpressure.progressed(new PartitionOffsets(partition(0)));
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		assertThat(this.control.events()).containsExactly("pause orders-0");
	}

	@Test
	void reconcileResumesEveryPartitionThatDrainedByEitherRule() {
		Backpressure backpressure = new Backpressure(20, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		PartitionOffsets p2 = tracked(backpressure, 2);
		PartitionOffsets p3 = tracked(backpressure, 3);
		receive(p0, 8);
		receive(p1, 8);
		receive(p2, 3);
		receive(p3, 2);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0), partition(1));
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0), partition(1));
		complete(p0, 0, 6);
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).as("orders-0 holds 2 of a share of 5")
			.containsExactly(partition(1));
		complete(p1, 0, 3);
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).as("the worker holds 12 of 20").containsExactly(partition(1));
		complete(p2, 0, 2);
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).as("the worker holds 10 of 20").isEmpty();
		assertThat(this.control.events()).containsExactly("pause orders-0", "pause orders-1", "resume orders-0",
				"resume orders-1");
	}

	@Test
	void recordsWaitingInAPartitionsDeepestLaneBeyondHalfItsShareDoNotPauseIt() {
		Map<TopicPartition, Integer> deepest = new ConcurrentHashMap<>();
		Backpressure backpressure = new Backpressure(10, Long.MAX_VALUE, this.control,
				(partition) -> deepest.getOrDefault(partition, 0));
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 20);
		receive(p1, 3);
		deepest.put(partition(0), 18);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).as("20 held, 16 of them beyond 2 in one lane: 4 of a share of 5")
			.isEmpty();
		receive(p0, 2);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).as("6 counted of a share of 5").containsExactly(partition(0));
	}

	@Test
	void recordsOfTheDeepestLaneStillCountAgainstTheByteBound() {
		Backpressure backpressure = new Backpressure(10, 10 * 100, this.control, (partition) -> 20);
		PartitionOffsets p0 = tracked(backpressure, 0);
		tracked(backpressure, 1);
		long[] offsets = new long[20];
		int[] bytes = new int[20];
		for (int i = 0; i < offsets.length; i++) {
			offsets[i] = i;
			bytes[i] = 100;
		}
		p0.receive(offsets, bytes, offsets.length);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
	}

	@Test
	void reconcileResumesAPartitionWhoseBacklogWaitsInOneLane() {
		Map<TopicPartition, Integer> deepest = new ConcurrentHashMap<>();
		Backpressure backpressure = new Backpressure(10, Long.MAX_VALUE, this.control,
				(partition) -> deepest.getOrDefault(partition, 0));
		PartitionOffsets p0 = tracked(backpressure, 0);
		tracked(backpressure, 1);
		receive(p0, 20);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		backpressure.progressed(p0);
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		deepest.put(partition(0), 20);
		backpressure.progressed(p0);
		assertThat(backpressure.pausedPartitions()).as("lane threads count every record").containsExactly(partition(0));
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions())
			.as("1 counted (the lane up to a quarter of the share), at most half the share of 5")
			.isEmpty();
	}

	@Test
	void partitionPausedBesideAHotLaneResumesOnceItsOtherRecordsDrained() {
		Map<TopicPartition, Integer> deepest = new ConcurrentHashMap<>();
		Backpressure backpressure = new Backpressure(40, Long.MAX_VALUE, this.control,
				(partition) -> deepest.getOrDefault(partition, 0));
		PartitionOffsets p0 = tracked(backpressure, 0);
		tracked(backpressure, 1);
		// Sequences 0-9: other keys' records; 10-49: the hot key's, one of them in a
		// running call and 39 waiting in its lane.
		receive(p0, 50);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		deepest.put(partition(0), 39);
		complete(p0, 0, 5);
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).as("5 other records, the running call and 5 of the hot lane")
			.containsExactly(partition(0));
		complete(p0, 5, 10);
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions())
			.as("the running call and 5 of the hot lane: at most half the share of 20, though the worker holds "
					+ "more than half its bound")
			.isEmpty();
		receive(p0, 1);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions())
			.as("41 held, over the bound, but to pause the hot lane counts up to half the share: 12 of 20")
			.isEmpty();
	}

	/**
	 * The deepest lane is looked up on the consumer thread only, before its polls; a lane
	 * thread wakes it from its poll once the partition could resume with that lane as
	 * last seen, rather than leave the other keys waiting for the poll timeout.
	 */
	@Test
	void aLaneThreadWakesTheConsumerOnceAPartitionPausedBesideAHotLaneCouldResume() throws InterruptedException {
		Map<TopicPartition, Integer> deepest = new ConcurrentHashMap<>();
		Backpressure backpressure = new Backpressure(40, Long.MAX_VALUE, this.control,
				(partition) -> deepest.getOrDefault(partition, 0));
		AtomicInteger wakes = new AtomicInteger();
		PartitionOffsets p0 = new PartitionOffsets(partition(0));
		backpressure.track(p0, wakes::incrementAndGet);
		tracked(backpressure, 1);
		// Sequences 0-9: other keys' records; 10-59: the hot key's, one in a running
		// call and 49 waiting in its lane. Share 20: 60 - (49 - 10) = 21 counted.
		receive(p0, 60);
		deepest.put(partition(0), 49);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		complete(p0, 0, 5);
		backpressure.progressed(p0);
		assertThat(wakes).as("55 held: above the hot lane's 49 and a quarter share").hasValue(0);
		complete(p0, 5, 6);
		// Woken at most every 10 ms after it looked (here: paused the partition).
		TimeUnit.MILLISECONDS.sleep(11);
		backpressure.progressed(p0);
		backpressure.progressed(p0);
		assertThat(wakes).as("54 held: woken once until it looks").hasValue(1);
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		backpressure.reconcile();
		assertThat(backpressure.pausedPartitions()).isEmpty();
	}

	@Test
	void reconcileWithNothingPausedDoesNothing() {
		Backpressure backpressure = new Backpressure(10, this.control);
		receive(tracked(backpressure, 0), 4);
		backpressure.reconcile();
		assertThat(this.control.events()).isEmpty();
	}

	@Test
	void untrackLiftsAPauseAndForgetsThePartition() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		PartitionOffsets p1 = tracked(backpressure, 1);
		receive(p0, 9);
		receive(p1, 2);
		backpressure.afterDispatch();
		backpressure.untrack(p0);
		assertThat(this.control.events()).containsExactly("pause orders-0", "resume orders-0");
		assertThat(backpressure.pausedPartitions()).isEmpty();
		assertThat(backpressure.heldRecords()).isEqualTo(2);
		backpressure.untrack(p0);
		assertThat(this.control.events()).hasSize(2);
	}

	@Test
	void untrackOfAPartitionThatIsNotPausedResumesNothing() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets p0 = tracked(backpressure, 0);
		receive(p0, 3);
		backpressure.untrack(p0);
		assertThat(this.control.events()).isEmpty();
		assertThat(backpressure.heldRecords()).isZero();
	}

	@Test
	void untrackOfAStaleInstanceLeavesTheCurrentInstanceAlone() {
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets stale = tracked(backpressure, 0);
		PartitionOffsets current = tracked(backpressure, 0);
		receive(current, 11);
		backpressure.afterDispatch();
		backpressure.untrack(stale);
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		assertThat(backpressure.heldRecords()).isEqualTo(11);
		assertThat(this.control.events()).containsExactly("pause orders-0");
		backpressure.untrack(current);
		assertThat(this.control.events()).containsExactly("pause orders-0", "resume orders-0");
	}

	@Test
	void trackingANewInstanceOfAPausedPartitionDoesNotLeaveTheConsumerPaused() {
		// The class promises that a pause and a resume cannot leave "the partition paused
		// with nobody to resume it". Here the partition is tracked afresh (a new
		// assignment) before the old instance is untracked: the old pause is forgotten
		// by Backpressure, untrack(old) no longer finds it, and the consumer stays
		// paused.
		Backpressure backpressure = new Backpressure(10, this.control);
		PartitionOffsets old = tracked(backpressure, 0);
		receive(old, 11);
		backpressure.afterDispatch();
		old.revoke();
		PartitionOffsets current = tracked(backpressure, 0);
		backpressure.untrack(old);
		backpressure.reconcile();
		backpressure.progressed(current);
		assertThat(this.control.paused()).as("paused at the consumer").isEqualTo(backpressure.pausedPartitions());
	}

	@Test
	void pausedPartitionsAreSortedByTopicThenPartition() {
		Backpressure backpressure = new Backpressure(4, this.control);
		List<TopicPartition> partitions = List.of(new TopicPartition("b", 1), new TopicPartition("a", 10),
				new TopicPartition("a", 2));
		for (TopicPartition topicPartition : partitions) {
			PartitionOffsets offsets = new PartitionOffsets(topicPartition);
			backpressure.track(offsets, () -> {
			});
			receive(offsets, 3);
		}
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(new TopicPartition("a", 2),
				new TopicPartition("a", 10), new TopicPartition("b", 1));
	}

	@Test
	void racingPausesAndResumesLeaveTheConsumerAndBackpressureInAgreement() throws Exception {
		long seed = Long.getLong("kafkaworker.test.seed", System.nanoTime());
		new Race(seed, this.control).run();
	}

	@Test
	void theMemoryBoundPausesAPartitionOfLargeRecordsEvenUnderTheRecordBound() {
		Backpressure backpressure = new Backpressure(1000, 10_000, this.control);
		PartitionOffsets large = tracked(backpressure, 0);
		PartitionOffsets small = tracked(backpressure, 1);
		large.receive(new long[] { 0, 1, 2 }, new int[] { 4000, 4000, 4000 }, 3);
		small.receive(new long[] { 0, 1 }, new int[] { 100, 100 }, 2);
		assertThat(backpressure.heldBytes()).isEqualTo(12_200);
		backpressure.afterDispatch();
		assertThat(backpressure.pausedPartitions()).containsExactly(partition(0));
		large.complete(0);
		backpressure.progressed(large);
		assertThat(backpressure.pausedPartitions()).as("8,200 bytes held, above half the 10,000-byte bound")
			.containsExactly(partition(0));
		large.complete(1);
		backpressure.progressed(large);
		assertThat(backpressure.pausedPartitions()).as("4,200 bytes held, at most half the bound").isEmpty();
	}

	private static PartitionOffsets tracked(Backpressure backpressure, int partition) {
		PartitionOffsets offsets = new PartitionOffsets(partition(partition));
		backpressure.track(offsets, () -> {
		});
		return offsets;
	}

	private static TopicPartition partition(int partition) {
		return new TopicPartition("orders", partition);
	}

	private static void receive(PartitionOffsets offsets, int count) {
		for (int i = 0; i < count; i++) {
			offsets.receive(offsets.lastReceivedOffset() + 1);
		}
	}

	// Complete the records with sequence numbers from (inclusive) to (exclusive).
	private static void complete(PartitionOffsets offsets, long from, long to) {
		for (long sequence = from; sequence < to; sequence++) {
			assertThat(offsets.complete(sequence)).isTrue();
		}
	}

	/**
	 * Records pause and resume requests, the partitions paused as the consumer sees them,
	 * and requests that make no sense (pausing a paused partition, resuming one that is
	 * not paused).
	 */
	static final class RecordingPauseControl implements Backpressure.PauseControl {

		private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();

		private final List<String> events = Collections.synchronizedList(new ArrayList<>());

		private final Queue<String> violations = new ConcurrentLinkedQueue<>();

		private final AtomicInteger pauses = new AtomicInteger();

		private final AtomicInteger resumes = new AtomicInteger();

		private volatile boolean recordEvents = true;

		@Override
		public void pause(TopicPartition partition) {
			this.pauses.incrementAndGet();
			if (!this.paused.add(partition)) {
				this.violations.add("paused " + partition + " twice");
			}
			if (this.recordEvents) {
				this.events.add("pause " + partition);
			}
		}

		@Override
		public void resume(TopicPartition partition) {
			this.resumes.incrementAndGet();
			if (!this.paused.remove(partition)) {
				this.violations.add("resumed " + partition + " while not paused");
			}
			if (this.recordEvents) {
				this.events.add("resume " + partition);
			}
		}

		Set<TopicPartition> paused() {
			return new HashSet<>(this.paused);
		}

		List<String> events() {
			synchronized (this.events) {
				return new ArrayList<>(this.events);
			}
		}

	}

	/**
	 * Two consumer threads receive records for the partitions they own (only those not
	 * paused at the consumer) and call afterDispatch and reconcile; three lane threads
	 * complete records of any partition and call progressed. After each round every
	 * thread stops, reconcile runs, and the consumer's pause state must equal what
	 * Backpressure reports, with no paused partition that the rules would resume.
	 */
	static final class Race {

		private static final int PARTITIONS = 6;

		private static final int MAX_RECORDS = 60;

		private static final int ROUNDS = 30;

		private final long seed;

		private final RecordingPauseControl control;

		private final Backpressure backpressure;

		private final List<PartitionOffsets> partitions = new ArrayList<>();

		private final List<Queue<Long>> unfinished = new ArrayList<>();

		Race(long seed, RecordingPauseControl control) {
			this.seed = seed;
			this.control = control;
			this.backpressure = new Backpressure(MAX_RECORDS, control);
			control.recordEvents = false;
			for (int partition = 0; partition < PARTITIONS; partition++) {
				PartitionOffsets offsets = new PartitionOffsets(partition(partition));
				this.backpressure.track(offsets, () -> {
				});
				this.partitions.add(offsets);
				this.unfinished.add(new ConcurrentLinkedQueue<>());
			}
		}

		void run() throws Exception {
			Random random = new Random(this.seed);
			ExecutorService threads = Executors.newFixedThreadPool(5);
			try {
				int roundsEndingPaused = 0;
				for (int round = 0; round < ROUNDS; round++) {
					CyclicBarrier start = new CyclicBarrier(5);
					AtomicBoolean consumersDone = new AtomicBoolean();
					AtomicInteger consumersLeft = new AtomicInteger(2);
					// Lanes go on for a few steps after the consumers stop, or for long
					// enough to drain everything, so that rounds end both backed up and
					// drained.
					int laneSteps = (random.nextInt(4) == 0) ? 5_000 : random.nextInt(20);
					List<Future<?>> futures = new ArrayList<>();
					for (int consumer = 0; consumer < 2; consumer++) {
						int owner = consumer;
						long consumerSeed = random.nextLong();
						futures.add(threads.submit(() -> {
							start.await();
							consume(owner, new Random(consumerSeed));
							if (consumersLeft.decrementAndGet() == 0) {
								consumersDone.set(true);
							}
							return null;
						}));
					}
					for (int lane = 0; lane < 3; lane++) {
						long laneSeed = random.nextLong();
						futures.add(threads.submit(() -> {
							start.await();
							work(new Random(laneSeed), consumersDone, laneSteps);
							return null;
						}));
					}
					for (Future<?> future : futures) {
						future.get(10, TimeUnit.SECONDS);
					}
					this.backpressure.reconcile();
					if (!this.backpressure.pausedPartitions().isEmpty()) {
						roundsEndingPaused++;
					}
					verifyAgreement("round " + round);
				}
				// Rounds that end with paused partitions are what make the agreement
				// check
				// worth something; typically about half of them do.
				assertThat(this.control.pauses.get())
					.as("seed %d: pauses (%d rounds ended with partitions paused)", this.seed, roundsEndingPaused)
					.isPositive();
				assertThat(this.control.resumes.get()).as("seed %d: resumes", this.seed).isPositive();
				for (int partition = 0; partition < PARTITIONS; partition++) {
					Long sequence;
					while ((sequence = this.unfinished.get(partition).poll()) != null) {
						this.partitions.get(partition).complete(sequence);
					}
				}
				this.backpressure.reconcile();
				verifyAgreement("after draining");
				assertThat(this.control.paused()).as("seed %d: paused after draining", this.seed).isEmpty();
			}
			finally {
				threads.shutdownNow();
			}
		}

		private void consume(int owner, Random random) {
			for (int poll = 0; poll < 400; poll++) {
				for (int partition = owner; partition < PARTITIONS; partition += 2) {
					PartitionOffsets offsets = this.partitions.get(partition);
					if (!this.control.paused.contains(offsets.topicPartition())) {
						for (int i = random.nextInt(8); i > 0; i--) {
							long offset = offsets.lastReceivedOffset() + 1 + random.nextInt(3);
							this.unfinished.get(partition).add(offsets.receive(offset));
						}
					}
				}
				this.backpressure.afterDispatch();
				if (random.nextInt(4) == 0) {
					this.backpressure.reconcile();
				}
			}
		}

		private void work(Random random, AtomicBoolean consumersDone, int extraSteps) {
			int steps = 0;
			while (!consumersDone.get() || steps++ < extraSteps) {
				int partition = random.nextInt(PARTITIONS);
				PartitionOffsets offsets = this.partitions.get(partition);
				int count = 1 + random.nextInt(3);
				offsets.started(count);
				for (int i = 0; i < count; i++) {
					Long sequence = this.unfinished.get(partition).poll();
					if (sequence != null) {
						offsets.complete(sequence);
					}
				}
				offsets.ended(count);
				this.backpressure.progressed(offsets);
				if (random.nextInt(16) == 0) {
					Thread.yield();
				}
			}
		}

		private void verifyAgreement(String when) {
			String context = "seed " + this.seed + ", " + when;
			assertThat(this.control.violations).as("%s: requests that make no sense", context).isEmpty();
			Set<TopicPartition> paused = this.backpressure.pausedPartitions();
			assertThat(this.control.paused()).as("%s: paused at the consumer vs by Backpressure", context)
				.isEqualTo(paused);
			int fairShare = MAX_RECORDS / PARTITIONS;
			int held = this.backpressure.heldRecords();
			for (PartitionOffsets offsets : this.partitions) {
				if (paused.contains(offsets.topicPartition())) {
					assertThat(offsets.outstanding() > fairShare / 2 && held > MAX_RECORDS / 2)
						.as("%s: %s stays paused although it drained (worker holds %d)", context, offsets, held)
						.isTrue();
				}
			}
		}

	}

}
