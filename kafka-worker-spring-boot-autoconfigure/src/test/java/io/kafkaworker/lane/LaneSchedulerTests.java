package io.kafkaworker.lane;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LaneScheduler}: FIFO and exclusivity per lane, the shared concurrency
 * bound, call sizes, fairness between lanes, halting, releasing, discarding, executor
 * rejection and closing. Most tests drive a {@link ManualExecutor} so that every
 * interleaving is chosen by the test; the rest use real thread pools.
 */
class LaneSchedulerTests {

	private final ManualExecutor executor = new ManualExecutor();

	private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

	@Test
	void rejectsConcurrencyOrCallSizeBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LaneScheduler<>(0, 1, this.executor, done()))
			.withMessageContaining("concurrency");
		assertThatIllegalArgumentException().isThrownBy(() -> new LaneScheduler<>(1, 0, this.executor, done()))
			.withMessageContaining("maxCallSize");
	}

	@Test
	void exclusiveLaneHandlesItemsInSubmissionOrder() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 2, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		scheduler.submit("a", true, List.of("a4", "a5"));
		scheduler.submit("a", true, List.of("a6"));
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("a3", "a4"), List.of("a5", "a6"));
	}

	@Test
	void aRunEndsOnceAfterItsLastCallEvenWhenACallFails() {
		List<String> events = new ArrayList<>();
		CallHandler<String> handler = new CallHandler<>() {

			@Override
			public CallOutcome handle(List<String> items) {
				events.add("call " + items);
				if (items.contains("b1")) {
					throw new IllegalStateException("escapes the handler");
				}
				return CallOutcome.DONE;
			}

			@Override
			public void runEnded() {
				events.add("run ended");
			}

		};
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, handler);
		scheduler.submit("a", true, List.of("a1", "a2"));
		scheduler.submit("b", true, List.of("b1"));
		assertThat(this.executor.pending()).isEqualTo(1);
		this.executor.runNext();
		// one run took every ready lane's calls, one after the other, then ended once
		assertThat(events).containsExactly("call [a1]", "call [b1]", "call [a2]", "run ended");
		scheduler.release((key) -> true);
		this.executor.runAll();
		assertThat(events).endsWith("call [b1]", "run ended");
	}

	@Test
	void exclusiveLaneRunsOneCallAtATime() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3", "a4", "a5"));
		assertThat(this.executor.pending()).isEqualTo(1);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 4, 1, 4));
		scheduler.submit("a", true, List.of("a6"));
		assertThat(this.executor.pending()).isEqualTo(1);
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2", "a3", "a4", "a5", "a6");
		assertThat(this.executor.accepted()).as("the lane's calls all ran in the first task").isEqualTo(1);
	}

	@Test
	void laneStaysExclusiveWhatEverLaterSubmissionsSay() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1"));
		scheduler.submit("a", false, List.of("a2", "a3"));
		assertThat(this.executor.pending()).isEqualTo(1);
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2", "a3");
	}

	@Test
	void nonExclusiveLaneRunsSeveralCallsAtOnce() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(3, 2, this.executor, done());
		scheduler.submit("p", false, List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7"));
		assertThat(this.executor.pending()).isEqualTo(3);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 1, 3, 3));
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("p1", "p2"), List.of("p7"), List.of("p3", "p4"),
				List.of("p5", "p6"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 3));
	}

	@Test
	void concurrencyBoundsCallsAcrossLanes() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(3, 5, this.executor, done());
		Map<Object, List<String>> items = new LinkedHashMap<>();
		for (int lane = 0; lane < 10; lane++) {
			items.put("lane" + lane, List.of(lane + "-1", lane + "-2"));
		}
		scheduler.submit(items, true);
		assertThat(this.executor.pending()).isEqualTo(3);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(10, 0, 14, 3, 3));
		this.executor.runAll();
		assertThat(this.calls).hasSize(10).allSatisfy((call) -> assertThat(call).hasSize(2));
		assertThat(this.executor.accepted()).isEqualTo(3);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 3));
	}

	@Test
	void callsHoldAtMostMaxCallSizeItemsOfOneLaneInLaneOrder() {
		Random random = new Random(3);
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 3, this.executor, done());
		Map<String, List<String>> submitted = new LinkedHashMap<>();
		for (int round = 0; round < 20; round++) {
			Map<Object, List<String>> items = new LinkedHashMap<>();
			for (int lane = 0; lane < 5; lane++) {
				List<String> laneItems = submitted.computeIfAbsent("L" + lane, (key) -> new ArrayList<>());
				List<String> batch = new ArrayList<>();
				for (int i = random.nextInt(6); i > 0; i--) {
					String item = "L" + lane + ":" + laneItems.size();
					laneItems.add(item);
					batch.add(item);
				}
				items.put("L" + lane, batch);
			}
			scheduler.submit(items, true);
			if (random.nextBoolean()) {
				this.executor.runNext();
			}
		}
		this.executor.runAll();
		Map<String, List<String>> handledByLane = new LinkedHashMap<>();
		for (List<String> call : this.calls) {
			assertThat(call).hasSizeBetween(1, 3);
			String lane = call.get(0).substring(0, call.get(0).indexOf(':'));
			assertThat(call).allSatisfy((item) -> assertThat(item).startsWith(lane + ":"));
			handledByLane.computeIfAbsent(lane, (key) -> new ArrayList<>()).addAll(call);
		}
		submitted.values().removeIf(List::isEmpty);
		assertThat(handledByLane).isEqualTo(submitted);
	}

	@Test
	void equalKeysShareALaneAndEmptySubmissionsCreateNone() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.submit("k", true, List.of("k1"));
		scheduler.submit(new String(new char[] { 'k' }), true, List.of("k2"));
		scheduler.submit("empty", true, List.of());
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 1, 1, 4));
		this.executor.runAll();
		assertThat(handled()).containsExactly("k1", "k2");
	}

	@Test
	void finishedCallLetsTheOtherReadyLanesGoFirst() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		scheduler.submit("b", true, List.of("b1", "b2", "b3"));
		scheduler.submit("c", true, List.of("c1", "c2"));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3");
		assertThat(this.executor.accepted()).as("a finished call continues on the same thread").isEqualTo(1);
	}

	@Test
	void busyLanesAlternateOnASameThreadExecutor() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 2, Runnable::run, done());
		Map<Object, List<String>> items = new LinkedHashMap<>();
		items.put("a", List.of("a1", "a2", "a3", "a4", "a5"));
		items.put("b", List.of("b1", "b2", "b3"));
		scheduler.submit(items, true);
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("b1", "b2"), List.of("a3", "a4"),
				List.of("b3"), List.of("a5"));
	}

	@Test
	void busyNonExclusiveLaneDoesNotStarveOthers() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("p", false, List.of("p1", "p2", "p3"));
		scheduler.submit("q", false, List.of("q1", "q2"));
		this.executor.runAll();
		// A non-exclusive lane goes back to the ready queue when its call starts, so p
		// was queued ahead of q; from then on the two lanes take turns.
		assertThat(handled()).containsExactly("p1", "p2", "q1", "p3", "q2");
	}

	@Test
	void haltPutsTheCallsItemsBackAtTheLaneHeadAndReleaseResumesFromThem() {
		AtomicBoolean failOnce = new AtomicBoolean(true);
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 2, this.executor, recording(
				(items) -> (items.contains("a3") && failOnce.getAndSet(false)) ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2", "a3", "a4", "a5"));
		scheduler.submit("b", true, List.of("b1"));
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("a3", "a4"), List.of("b1"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 3, 0, 2));
		scheduler.submit("a", true, List.of("a6"));
		scheduler.submit("b", true, List.of("b2"));
		this.executor.runAll();
		assertThat(handled()).as("a halted lane starts nothing, other lanes go on").endsWith("b2");
		assertThat(scheduler.release("b"::equals)).isZero();
		assertThat(scheduler.release("a"::equals)).isEqualTo(1);
		assertThat(scheduler.release("a"::equals)).isZero();
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("a3", "a4"), List.of("b1"), List.of("b2"),
				List.of("a3", "a4"), List.of("a5", "a6"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 2));
	}

	@Test
	void haltOfOneNonExclusiveCallLetsTheOtherRunningCallsFinish() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(3, 1, this.executor,
				recording((items) -> items.contains("p1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("p", false, List.of("p1", "p2", "p3", "p4"));
		assertThat(this.executor.pending()).isEqualTo(3);
		this.executor.runAll();
		assertThat(handled()).containsExactly("p1", "p2", "p3");
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 2, 0, 3));
		assertThat(scheduler.discard((item) -> true)).as("the halted call's item is back ahead of the rest")
			.containsExactly("p1", "p4");
	}

	@Test
	void handlerExceptionHaltsTheLaneWithItsItemsAtTheHead() {
		AtomicInteger attempts = new AtomicInteger();
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 2, this.executor, recording((items) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
			return CallOutcome.DONE;
		}));
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		this.executor.runAll();
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 3, 0, 2));
		scheduler.release((key) -> true);
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("a1", "a2"), List.of("a3"));
	}

	@Test
	void handlerErrorHaltsTheLaneToo() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 2, this.executor, recording((items) -> {
			throw new LinkageError("boom");
		}));
		scheduler.submit("a", true, List.of("a1"));
		this.executor.runAll();
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 1, 0, 2));
	}

	@Test
	void holdLetsTheRunningCallFinishAndStartsNoNewCallOnAHeldItemUntilLifted() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		scheduler.submit("b", true, List.of("b1", "b2"));
		scheduler.hold("freeze", (item) -> item.startsWith("a"));
		scheduler.hold("other", (item) -> item.startsWith("z"));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "b1", "b2");
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 2, 0, 4));
		scheduler.submit("a", true, List.of("a4"));
		assertThat(this.executor.pending()).isZero();
		assertThat(scheduler.unhold("freeze")).isTrue();
		assertThat(scheduler.unhold("freeze")).isFalse();
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "b1", "b2", "a2", "a3", "a4");
	}

	@Test
	void nonExclusiveLanePassesHeldItemsAndRunsTheOthers() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 2, this.executor, done());
		// a put-back can leave a held item ahead of items that may run
		scheduler.hold("above-5", (item) -> Integer.parseInt(item.substring(1)) > 5);
		scheduler.submit("p", false, List.of("p7", "p3", "p9", "p4", "p5"));
		this.executor.runAll();
		assertThat(handled()).containsExactlyInAnyOrder("p3", "p4", "p5");
		assertThat(this.calls).allSatisfy((call) -> assertThat(call).hasSizeLessThanOrEqualTo(2));
		scheduler.unhold("above-5");
		this.executor.runAll();
		assertThat(handled()).containsExactlyInAnyOrder("p3", "p4", "p5", "p7", "p9");
	}

	@Test
	void exclusiveLaneStopsAtItsFirstHeldItem() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 2, this.executor, done());
		scheduler.hold("above-5", (item) -> Integer.parseInt(item.substring(1)) > 5);
		scheduler.submit("p", true, List.of("p1", "p7", "p3"));
		this.executor.runAll();
		assertThat(handled()).containsExactly("p1");
	}

	@Test
	void awaitIdleReturnsOnceTheLastRunningCallFinished() throws InterruptedException {
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 1, this.executor, done());
		assertThat(scheduler.awaitIdle(Duration.ZERO)).isTrue();
		scheduler.submit("a", true, List.of("a1", "a2"));
		assertThat(scheduler.awaitIdle(Duration.ofMillis(10))).isFalse();
		this.executor.runAll();
		assertThat(scheduler.awaitIdle(Duration.ZERO)).isTrue();
	}

	@Test
	void holdIsARuleThatLetsItemsAheadOfTheHeldOnesRun() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 8, true, this.executor, done());
		// items numbered above 2 of partition "p" are held, in any lane
		scheduler.hold("p:2", (item) -> item.startsWith("p") && Integer.parseInt(item.substring(3)) > 2);
		scheduler.submit("k1", true, List.of("p-k1", "p-k2", "p-k3"));
		scheduler.submit("k2", true, List.of("p-k0", "q-k9"));
		this.executor.runAll();
		assertThat(handled()).containsExactlyInAnyOrder("p-k1", "p-k2", "p-k0", "q-k9");
		scheduler.submit("k3", true, List.of("p-k7"));
		this.executor.runAll();
		assertThat(scheduler.snapshot().haltedLanes()).as("two lanes with a held head").isEqualTo(2);
		scheduler.unhold("p:2");
		this.executor.runAll();
		assertThat(handled()).endsWith("p-k3", "p-k7").hasSize(6);
	}

	@Test
	void itemHeldByTwoHoldsRunsOnlyWhenBothAreLifted() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.hold("one", "a1"::equals);
		scheduler.hold("two", "a1"::equals);
		scheduler.submit("a", true, List.of("a1"));
		scheduler.unhold("one");
		this.executor.runAll();
		assertThat(handled()).isEmpty();
		scheduler.unhold("two");
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1");
	}

	@Test
	void discardThatMatchesNothingLeavesHaltedLanesHalted() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor,
				recording((items) -> items.contains("a1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2"));
		this.executor.runAll();
		assertThat(scheduler.discard((item) -> false)).isEmpty();
		assertThat(scheduler.snapshot().haltedLanes()).as("a discard that removed nothing released lane 'a'")
			.isEqualTo(1);
		assertThat(scheduler.isHalted("a")).isTrue();
	}

	@Test
	void haltThenRunsItsActionOnceTheLaneIsHaltedWithItsItemsBack() {
		List<String> seen = new ArrayList<>();
		LaneScheduler<String>[] holder = new LaneScheduler[1];
		holder[0] = new LaneScheduler<>(4, 2, this.executor,
				recording((items) -> items.contains("a1")
						? CallOutcome
							.haltThen(() -> seen.add(holder[0].isHalted("a") + " " + holder[0].peekHead("a", 3)))
						: CallOutcome.DONE));
		holder[0].submit("a", true, List.of("a1", "a2", "a3"));
		this.executor.runAll();
		assertThat(seen).containsExactly("true [a1, a2, a3]");
	}

	@Test
	void submitEachSpreadsItemsOverTheirLanesKeepingEachLanesOrder() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submitEach(List.of("a1", "b1", "a2", "c1", "b2", "a3"), (item) -> item.substring(0, 1), true);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(3, 0, 5, 1, 1));
		this.executor.runAll();
		assertThat(handled()).containsSubsequence("a1", "a2", "a3").containsSubsequence("b1", "b2").hasSize(6);
	}

	@Test
	void removeHeadTakesTheFailedItemsOffAHaltedLane() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 2, this.executor,
				recording((items) -> items.contains("a1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		this.executor.runAll();
		assertThat(scheduler.peekHead("a", 2)).containsExactly("a1", "a2");
		assertThat(scheduler.stalledItems("a"::equals)).as("items of the halted lane").isEqualTo(3);
		assertThat(scheduler.stalledItems("b"::equals)).isZero();
		assertThat(scheduler.removeHead("a", 2)).containsExactly("a1", "a2");
		assertThat(scheduler.removeHead("missing", 2)).isEmpty();
		assertThat(scheduler.snapshot().bufferedItems()).isEqualTo(1);
		scheduler.release("a"::equals);
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2", "a3");
	}

	@Test
	void deepestLaneCountsTheBufferedItemsOfTheDeepestMatchingLane() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("a1", true, List.of("x1", "x2", "x3"));
		scheduler.submit("a2", true, List.of("y1", "y2"));
		scheduler.submit("b1", true, List.of("z1", "z2", "z3", "z4", "z5"));
		assertThat(scheduler.deepestLane((key) -> ((String) key).startsWith("a")))
			.as("a1's first item is in the running call")
			.isEqualTo(2);
		assertThat(scheduler.deepestLane((key) -> ((String) key).startsWith("b"))).isEqualTo(5);
		assertThat(scheduler.deepestLane((key) -> ((String) key).startsWith("c"))).isZero();
	}

	@Test
	void removeHeadLeavesALaneThatIsRunningACall() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2"));
		assertThat(scheduler.removeHead("a", 1)).isEmpty();
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2");
	}

	@Test
	void discardRemovesMatchingBufferedItemsButNotTheRunningCall() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3", "a4"));
		scheduler.submit("b", true, List.of("b1", "b2"));
		List<String> removed = scheduler.discard((item) -> item.endsWith("1") || item.equals("a3"));
		assertThat(removed).containsExactlyInAnyOrder("a3", "b1");
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(2, 0, 3, 1, 1));
		removed = scheduler.discard((item) -> item.endsWith("2") || item.endsWith("4"));
		assertThat(removed).containsSubsequence("a2", "a4").containsExactlyInAnyOrder("a2", "a4", "b2");
		assertThat(scheduler.snapshot()).as("lane b is gone, lane a runs its call")
			.isEqualTo(new LaneSnapshot(1, 0, 0, 1, 1));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1");
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 1));
		assertThat(scheduler.discard((item) -> true)).isEmpty();
	}

	// A discard while a call runs (a revoked or rewound partition) must win over that
	// call's halt: otherwise the call puts the dropped items back at the lane's head and
	// halts the lane, and nothing would ever release it.
	@Test
	void aCallThatHaltsAfterItsItemsWereDiscardedNeitherPutsThemBackNorHaltsTheLane() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 2, this.executor,
				recording((items) -> items.contains("a1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		assertThat(scheduler.discard((item) -> item.startsWith("a"))).containsExactly("a3");
		scheduler.submit("a", true, List.of("a4"));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2", "a4");
		assertThat(scheduler.isHalted("a")).isFalse();
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 4));
	}

	@Test
	void aHaltingCallPutsBackTheItemsThatWereNotDiscarded() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(4, 3, this.executor,
				recording((items) -> items.contains("a1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		scheduler.discard((item) -> item.equals("a2"));
		this.executor.runAll();
		assertThat(scheduler.isHalted("a")).isTrue();
		assertThat(scheduler.peekHead("a", 3)).containsExactly("a1", "a3");
	}

	@Test
	void discardingEveryItemOfAHaltedLaneLetsItsKeyStartAfresh() {
		// What a revocation relies on: once the failed records of a partition are
		// discarded, records of a new assignment of the partition must run.
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 2, this.executor,
				recording((items) -> items.contains("a1") ? CallOutcome.HALT : CallOutcome.DONE));
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		this.executor.runAll();
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 1, 3, 0, 2));
		assertThat(scheduler.discard((item) -> true)).containsExactly("a1", "a2", "a3");
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 2));
		scheduler.submit("a", true, List.of("a4"));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "a2", "a4");
	}

	@Test
	void nonExclusiveLaneEmptiedByDiscardIsRetiredOnceItsCallsFinish() {
		// LaneSnapshot.lanes counts "lanes that exist (have items, run a call, or are
		// halted)".
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("p", false, List.of("p1", "p2", "p3"));
		assertThat(scheduler.discard((item) -> true)).containsExactly("p2", "p3");
		this.executor.runAll();
		assertThat(handled()).containsExactly("p1");
		assertThat(scheduler.snapshot()).as("no items, no call, not halted: the lane must be gone")
			.isEqualTo(new LaneSnapshot(0, 0, 0, 0, 1));
	}

	@Test
	void rejectedCallLeavesItsItemsBufferedUntilALaterSubmitRunsThem() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 2, this.executor, done());
		this.executor.reject(true);
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		assertThat(this.executor.rejected()).isEqualTo(1);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 3, 0, 2));
		scheduler.submit("a", true, List.of("a4"));
		assertThat(this.executor.rejected()).isEqualTo(2);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 4, 0, 2));
		this.executor.reject(false);
		scheduler.submit("a", true, List.of("a5"));
		this.executor.runAll();
		assertThat(this.calls).containsExactly(List.of("a1", "a2"), List.of("a3", "a4"), List.of("a5"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 2));
	}

	@Test
	void rejectedCallRunsWhenAnotherCallFinishes() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(2, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1"));
		this.executor.reject(true);
		scheduler.submit("b", true, List.of("b1", "b2"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(2, 0, 2, 1, 2));
		this.executor.reject(false);
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1", "b1", "b2");
	}

	@Test
	void rejectedContinuationCallIsPickedUpByTheRunningThread() {
		// A finished call keeps one ready call and hands the others to the executor; if
		// the executor rejects them they stay buffered, in order, and the running thread
		// takes them once its own call is finished.
		LaneScheduler<String> scheduler = new LaneScheduler<>(3, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1"));
		this.executor.reject(true);
		scheduler.submit("b", true, List.of("b1"));
		scheduler.submit("c", true, List.of("c1", "c2"));
		assertThat(this.executor.rejected()).isEqualTo(3);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(3, 0, 3, 1, 3));
		this.executor.runNext();
		assertThat(this.executor.rejected()).as("c1 was handed over again after a1").isEqualTo(4);
		assertThat(handled()).containsExactly("a1", "b1", "c1", "c2");
		assertThat(this.executor.pending()).isZero();
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 3));
	}

	@Test
	void closeDropsBufferedItemsRefusesSubmitsAndLetsRunningCallsFinish() {
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor, done());
		scheduler.submit("a", true, List.of("a1", "a2", "a3"));
		scheduler.submit("b", true, List.of("b1"));
		assertThat(scheduler.close()).containsExactlyInAnyOrder("a2", "a3", "b1");
		assertThatIllegalStateException().isThrownBy(() -> scheduler.submit("a", true, List.of("a4")))
			.withMessageContaining("closed");
		assertThatIllegalStateException().isThrownBy(() -> scheduler.submit(Map.of("c", List.of("c1")), true));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 0, 1, 1));
		this.executor.runAll();
		assertThat(handled()).containsExactly("a1");
		assertThat(this.executor.accepted()).isEqualTo(1);
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 1));
		assertThat(scheduler.close()).isEmpty();
	}

	@Test
	void closedSchedulerStartsNoCallOnRelease() {
		// close(): "Stop starting calls". A call running at close that halts puts its
		// items back; releasing the lane afterwards must not start a call.
		LaneScheduler<String> scheduler = new LaneScheduler<>(1, 1, this.executor,
				recording((items) -> CallOutcome.HALT));
		scheduler.submit("a", true, List.of("a1"));
		assertThat(scheduler.close()).isEmpty();
		this.executor.runAll();
		scheduler.release((key) -> true);
		assertThat(this.executor.pending()).as("tasks handed to the executor after close").isZero();
	}

	@Test
	void callsOnARealThreadPoolNeverExceedTheConcurrency() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			CountingExecutor counting = new CountingExecutor(pool);
			AtomicInteger active = new AtomicInteger();
			AtomicInteger maxActive = new AtomicInteger();
			CountDownLatch entered = new CountDownLatch(3);
			CountDownLatch gate = new CountDownLatch(1);
			LaneScheduler<String> scheduler = new LaneScheduler<>(3, 1, counting, recording((items) -> {
				maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
				entered.countDown();
				try {
					gate.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				active.decrementAndGet();
				return CallOutcome.DONE;
			}));
			for (int lane = 0; lane < 12; lane++) {
				scheduler.submit("lane" + lane, true, List.of(lane + "-1", lane + "-2"));
			}
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(12, 0, 21, 3, 3));
			assertThat(counting.executed()).as("tasks handed to the pool").isEqualTo(3);
			assertThat(active.get()).isEqualTo(3);
			gate.countDown();
			awaitCondition(() -> scheduler.snapshot().lanes() == 0);
			assertThat(this.calls).hasSize(24);
			assertThat(maxActive.get()).isEqualTo(3);
			for (int lane = 0; lane < 12; lane++) {
				assertThat(handled()).containsSubsequence(lane + "-1", lane + "-2");
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void randomisedStressOnARealThreadPoolKeepsEveryInvariant() throws Exception {
		long seed = Long.getLong("kafkaworker.test.seed", System.nanoTime());
		new Stress(seed).run();
	}

	private CallHandler<String> done() {
		return recording((items) -> CallOutcome.DONE);
	}

	private CallHandler<String> recording(Function<List<String>, CallOutcome> outcome) {
		return (items) -> {
			this.calls.add(List.copyOf(items));
			return outcome.apply(items);
		};
	}

	private List<String> handled() {
		synchronized (this.calls) {
			return this.calls.stream().flatMap(List::stream).toList();
		}
	}

	private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	/**
	 * An executor that queues tasks until the test runs them, on the test's thread, and
	 * can be told to reject tasks.
	 */
	static final class ManualExecutor implements Executor {

		private final Deque<Runnable> tasks = new ArrayDeque<>();

		private boolean rejecting;

		private int accepted;

		private int rejected;

		@Override
		public synchronized void execute(Runnable task) {
			if (this.rejecting) {
				this.rejected++;
				throw new RejectedExecutionException("rejected by the test");
			}
			this.accepted++;
			this.tasks.addLast(task);
		}

		synchronized void reject(boolean rejecting) {
			this.rejecting = rejecting;
		}

		boolean runNext() {
			Runnable task;
			synchronized (this) {
				task = this.tasks.pollFirst();
			}
			if (task == null) {
				return false;
			}
			task.run();
			return true;
		}

		void runAll() {
			while (runNext()) {
				// run the tasks, including those the tasks hand over
			}
		}

		synchronized int pending() {
			return this.tasks.size();
		}

		synchronized int accepted() {
			return this.accepted;
		}

		synchronized int rejected() {
			return this.rejected;
		}

	}

	/**
	 * Counts the tasks handed to a real executor.
	 */
	static final class CountingExecutor implements Executor {

		private final Executor delegate;

		private final AtomicInteger executed = new AtomicInteger();

		CountingExecutor(Executor delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(Runnable task) {
			this.executed.incrementAndGet();
			this.delegate.execute(task);
		}

		int executed() {
			return this.executed.get();
		}

	}

	/**
	 * One randomised run: 200 lanes (every fourth one non-exclusive), about 20,000 items
	 * submitted in random chunks by two threads, random tiny work, random halts and
	 * failures released by a third thread, 8 pool threads and a concurrency of 5.
	 */
	static final class Stress {

		private static final int THREADS = 8;

		private static final int CONCURRENCY = 5;

		private static final int MAX_CALL_SIZE = 4;

		private static final int LANES = 200;

		private static final int ITEMS = 20_000;

		private final long seed;

		private final AtomicInteger running = new AtomicInteger();

		private final AtomicInteger maxRunning = new AtomicInteger();

		private final AtomicIntegerArray laneRunning = new AtomicIntegerArray(LANES);

		private final AtomicIntegerArray nextExpected = new AtomicIntegerArray(LANES);

		private final AtomicIntegerArray timesDone = new AtomicIntegerArray(ITEMS);

		private final AtomicIntegerArray attempts = new AtomicIntegerArray(ITEMS);

		private final AtomicInteger done = new AtomicInteger();

		private final AtomicInteger halts = new AtomicInteger();

		private final Queue<String> violations = new ConcurrentLinkedQueue<>();

		Stress(long seed) {
			this.seed = seed;
		}

		void run() throws Exception {
			Random random = new Random(this.seed);
			// Lane of each item, and each item's position in its lane.
			int[] laneOf = new int[ITEMS];
			int[] indexOf = new int[ITEMS];
			int[] laneSize = new int[LANES];
			for (int id = 0; id < ITEMS; id++) {
				int lane = random.nextInt(LANES);
				laneOf[id] = lane;
				indexOf[id] = laneSize[lane]++;
			}
			// Fail about 1% of the items on their first attempt.
			boolean[] failFirst = new boolean[ITEMS];
			for (int id = 0; id < ITEMS; id++) {
				failFirst[id] = random.nextInt(100) == 0;
			}
			ExecutorService pool = Executors.newFixedThreadPool(THREADS);
			ExecutorService drivers = Executors.newFixedThreadPool(3);
			try {
				LaneScheduler<Item> scheduler = new LaneScheduler<>(CONCURRENCY, MAX_CALL_SIZE, pool,
						(items) -> handle(items, failFirst));
				AtomicBoolean submitting = new AtomicBoolean(true);
				CountDownLatch submitted = new CountDownLatch(2);
				for (int submitter = 0; submitter < 2; submitter++) {
					int parity = submitter;
					long submitterSeed = random.nextLong();
					drivers.execute(() -> {
						try {
							submit(scheduler, parity, new Random(submitterSeed), laneOf, indexOf);
						}
						catch (RuntimeException | Error ex) {
							this.violations.add("submitter failed: " + ex);
						}
						finally {
							submitted.countDown();
						}
					});
				}
				drivers.execute(() -> {
					while (submitting.get() || this.done.get() < ITEMS) {
						scheduler.release((key) -> true);
						LaneSnapshot snapshot = scheduler.snapshot();
						if (snapshot.runningCalls() > CONCURRENCY || snapshot.bufferedItems() < 0) {
							this.violations.add("snapshot " + snapshot);
						}
						LockSupport.parkNanos(200_000);
						if (submitted.getCount() == 0) {
							submitting.set(false);
						}
					}
				});
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
				while (this.done.get() < ITEMS || scheduler.snapshot().runningCalls() > 0) {
					assertThat(System.nanoTime())
						.as("seed %d: handled %d of %d items, %s, violations %s", this.seed, this.done.get(), ITEMS,
								scheduler.snapshot(), this.violations)
						.isLessThan(deadline);
					Thread.sleep(2);
				}
				assertThat(this.violations).as("seed %d: invariant violations", this.seed).isEmpty();
				assertThat(this.maxRunning.get()).as("seed %d: most calls at once", this.seed)
					.isLessThanOrEqualTo(CONCURRENCY);
				assertThat(this.halts.get()).as("seed %d: the run exercised halts", this.seed).isPositive();
				List<String> notOnce = new ArrayList<>();
				for (int id = 0; id < ITEMS; id++) {
					if (this.timesDone.get(id) != 1) {
						notOnce.add(id + " handled " + this.timesDone.get(id) + " times");
					}
				}
				assertThat(notOnce).as("seed %d: items not handled exactly once", this.seed).isEmpty();
				assertThat(scheduler.snapshot()).as("seed %d: final state", this.seed)
					.isEqualTo(new LaneSnapshot(0, 0, 0, 0, CONCURRENCY));
			}
			finally {
				drivers.shutdownNow();
				pool.shutdownNow();
				assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			}
		}

		private void submit(LaneScheduler<Item> scheduler, int parity, Random random, int[] laneOf, int[] indexOf) {
			// This submitter owns the lanes of its parity, so each lane's submission
			// order
			// is the order of the items' ids.
			List<Item> pending = new ArrayList<>();
			for (int id = 0; id < ITEMS; id++) {
				if (laneOf[id] % 2 == parity) {
					pending.add(new Item(laneOf[id], indexOf[id], id));
				}
			}
			int position = 0;
			while (position < pending.size()) {
				int chunk = Math.min(1 + random.nextInt(40), pending.size() - position);
				Map<Object, List<Item>> byLane = new LinkedHashMap<>();
				for (Item item : pending.subList(position, position + chunk)) {
					byLane.computeIfAbsent(item.lane(), (key) -> new ArrayList<>()).add(item);
				}
				position += chunk;
				for (Map.Entry<Object, List<Item>> entry : byLane.entrySet()) {
					int lane = (Integer) entry.getKey();
					if (random.nextBoolean()) {
						scheduler.submit(lane, exclusive(lane), entry.getValue());
					}
					else {
						scheduler.submit(Map.of(lane, entry.getValue()), exclusive(lane));
					}
				}
				if (random.nextInt(8) == 0) {
					Thread.yield();
				}
			}
		}

		private CallOutcome handle(List<Item> items, boolean[] failFirst) {
			int now = this.running.incrementAndGet();
			this.maxRunning.accumulateAndGet(now, Math::max);
			if (now > CONCURRENCY) {
				this.violations.add(now + " calls at once");
			}
			int lane = items.get(0).lane();
			boolean exclusive = exclusive(lane);
			try {
				if (items.isEmpty() || items.size() > MAX_CALL_SIZE) {
					this.violations.add("call of " + items.size() + " items");
				}
				for (Item item : items) {
					if (item.lane() != lane) {
						this.violations.add("call mixes lanes " + lane + " and " + item.lane());
					}
				}
				if (exclusive) {
					if (this.laneRunning.incrementAndGet(lane) != 1) {
						this.violations.add("two calls at once on exclusive lane " + lane);
					}
					for (int i = 0; i < items.size(); i++) {
						int expected = this.nextExpected.get(lane) + i;
						if (items.get(i).index() != expected) {
							this.violations.add("lane " + lane + " handed out index " + items.get(i).index()
									+ " instead of " + expected);
						}
					}
				}
				int spin = items.get(0).id() % 64;
				for (int i = 0; i < spin; i++) {
					Thread.onSpinWait();
				}
				boolean fail = false;
				for (Item item : items) {
					if (this.attempts.getAndIncrement(item.id()) == 0 && failFirst[item.id()]) {
						fail = true;
					}
				}
				if (fail) {
					this.halts.incrementAndGet();
					if (items.get(0).id() % 10 == 0) {
						throw new IllegalStateException("Failure injected by the stress test");
					}
					return CallOutcome.HALT;
				}
				for (Item item : items) {
					this.timesDone.incrementAndGet(item.id());
				}
				if (exclusive) {
					this.nextExpected.addAndGet(lane, items.size());
				}
				this.done.addAndGet(items.size());
				return CallOutcome.DONE;
			}
			finally {
				if (exclusive) {
					this.laneRunning.decrementAndGet(lane);
				}
				this.running.decrementAndGet();
			}
		}

		private static boolean exclusive(int lane) {
			return lane % 4 != 0;
		}

	}

	record Item(int lane, int index, int id) {

	}

}
