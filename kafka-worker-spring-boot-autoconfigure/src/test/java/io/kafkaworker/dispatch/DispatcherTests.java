package io.kafkaworker.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;

import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.lane.LaneSnapshot;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dispatcher}: each mode's records reach the right lanes, and records of
 * one lane keep their offset order, within a poll and across polls.
 */
class DispatcherTests {

	private static final TopicPartition P0 = new TopicPartition("orders", 0);

	private static final TopicPartition P1 = new TopicPartition("orders", 1);

	private final PartitionOffsets p0 = new PartitionOffsets(P0);

	private final PartitionOffsets p1 = new PartitionOffsets(P1);

	private final TaskQueue executor = new TaskQueue();

	private final List<List<WorkItem>> calls = Collections.synchronizedList(new ArrayList<>());

	@Test
	void keyModeGivesEachKeyItsOwnLaneInOffsetOrder() {
		LaneScheduler<WorkItem> scheduler = scheduler(8, 10);
		Dispatcher dispatcher = new Dispatcher(Ordering.KEY, scheduler);
		dispatcher.dispatch(P0, items(this.p0, 0, "a", "b", "a", null, "b", "a", "c", null, "a", new byte[] { 1 },
				new byte[] { 1 }, "c"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(5, 0, 0, 5, 8));
		this.executor.runAll(null);
		assertThat(offsetsByLane(Ordering.KEY)).containsOnly(entry(Ordering.KEY, "a", 0, 2, 5, 8),
				entry(Ordering.KEY, "b", 1, 4), entry(Ordering.KEY, null, 3, 7), entry(Ordering.KEY, "c", 6, 11),
				entry(Ordering.KEY, new byte[] { 1 }, 9, 10));
		assertThat(this.calls).allSatisfy((call) -> assertThat(call).extracting((item) -> laneOf(Ordering.KEY, item))
			.containsOnly(laneOf(Ordering.KEY, call.get(0))));
	}

	@Test
	void keyModeKeepsEachKeysOrderAcrossPolls() {
		LaneScheduler<WorkItem> scheduler = scheduler(8, 2);
		Dispatcher dispatcher = new Dispatcher(Ordering.KEY, scheduler);
		dispatcher.dispatch(P0, items(this.p0, 0, "a", "a", "a", "b"));
		dispatcher.dispatch(P0, items(this.p0, 10, "b", "a", "a"));
		dispatcher.dispatch(P1, items(this.p1, 0, "a", "a"));
		this.executor.runAll(null);
		assertThat(offsetsByLane(Ordering.KEY)).containsOnly(entry(Ordering.KEY, "a", 0, 1, 2, 11, 12),
				entry(Ordering.KEY, "b", 3, 10), Map.entry(new Ordering.KeyLane(P1, "a"), List.of(0L, 1L)));
		assertThat(this.calls).allSatisfy((call) -> assertThat(call).hasSizeLessThanOrEqualTo(2));
	}

	@Test
	void partitionModeGivesEachPartitionOneLaneInOffsetOrder() {
		LaneScheduler<WorkItem> scheduler = scheduler(8, 4);
		Dispatcher dispatcher = new Dispatcher(Ordering.PARTITION, scheduler);
		dispatcher.dispatch(P0, items(this.p0, 0, "a", "b", "a", null, "c", "d"));
		dispatcher.dispatch(P1, items(this.p1, 0, "a", "a", "b"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(2, 0, 2, 2, 8));
		this.executor.runAll(null);
		assertThat(offsetsByLane(Ordering.PARTITION)).containsOnly(Map.entry(P0, List.of(0L, 1L, 2L, 3L, 4L, 5L)),
				Map.entry(P1, List.of(0L, 1L, 2L)));
		assertThat(this.calls).extracting(List::size).containsExactly(4, 2, 3);
	}

	@Test
	void serialModePutsEveryPartitionInOneLaneInDispatchOrder() {
		LaneScheduler<WorkItem> scheduler = scheduler(8, 3);
		Dispatcher dispatcher = new Dispatcher(Ordering.SERIAL, scheduler);
		dispatcher.dispatch(P0, items(this.p0, 0, "a", "b"));
		dispatcher.dispatch(P1, items(this.p1, 0, "a", "b", "c"));
		dispatcher.dispatch(P0, items(this.p0, 2, "c"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 4, 1, 8));
		this.executor.runAll(null);
		assertThat(handled()).containsExactly("orders-0@0", "orders-0@1", "orders-1@0", "orders-1@1", "orders-1@2",
				"orders-0@2");
	}

	@Test
	void parallelModeRunsAPartitionsRecordsInSeveralCallsAtOnce() {
		LaneScheduler<WorkItem> scheduler = scheduler(4, 1);
		Dispatcher dispatcher = new Dispatcher(Ordering.PARALLEL, scheduler);
		dispatcher.dispatch(P0, items(this.p0, 0, "a", "a", "a", "a", "a"));
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(1, 0, 1, 4, 4));
		assertThat(this.executor.pending()).isEqualTo(4);
		this.executor.runAll(null);
		assertThat(handled()).containsExactlyInAnyOrder("orders-0@0", "orders-0@1", "orders-0@2", "orders-0@3",
				"orders-0@4");
	}

	@Test
	void emptyPollSubmitsNothing() {
		LaneScheduler<WorkItem> scheduler = scheduler(4, 1);
		for (Ordering ordering : Ordering.values()) {
			new Dispatcher(ordering, scheduler).dispatch(P0, List.of());
		}
		assertThat(scheduler.snapshot()).isEqualTo(new LaneSnapshot(0, 0, 0, 0, 4));
		assertThat(this.executor.pending()).isZero();
	}

	@Test
	void keyModeKeepsOffsetOrderPerKeyWhateverOrderTheExecutorRunsCallsIn() {
		long seed = Long.getLong("kafkaworker.test.seed", System.nanoTime());
		Random random = new Random(seed);
		LaneScheduler<WorkItem> scheduler = scheduler(4, 3);
		Dispatcher dispatcher = new Dispatcher(Ordering.KEY, scheduler);
		Map<Object, List<Long>> expected = new LinkedHashMap<>();
		for (int poll = 0; poll < 30; poll++) {
			for (PartitionOffsets partition : List.of(this.p0, this.p1)) {
				List<WorkItem> items = new ArrayList<>();
				for (int i = random.nextInt(20); i > 0; i--) {
					long offset = partition.lastReceivedOffset() + 1 + random.nextInt(3);
					Object key = (random.nextInt(10) == 0) ? null : "key-" + random.nextInt(15);
					WorkItem item = item(partition, offset, key);
					items.add(item);
					expected.computeIfAbsent(laneOf(Ordering.KEY, item), (lane) -> new ArrayList<>()).add(offset);
				}
				dispatcher.dispatch(partition.topicPartition(), items);
			}
			for (int i = random.nextInt(4); i > 0; i--) {
				this.executor.runOne(random);
			}
		}
		this.executor.runAll(random);
		assertThat(offsetsByLane(Ordering.KEY)).as("seed %d", seed).isEqualTo(expected);
		assertThat(this.p0.outstanding() + this.p1.outstanding()).as("seed %d", seed).isZero();
	}

	private LaneScheduler<WorkItem> scheduler(int concurrency, int maxCallSize) {
		return new LaneScheduler<>(concurrency, maxCallSize, this.executor, (items) -> {
			this.calls.add(List.copyOf(items));
			items.forEach(WorkItem::complete);
			return CallOutcome.DONE;
		});
	}

	// Receive records with consecutive offsets from the first one and the given keys.
	private static List<WorkItem> items(PartitionOffsets partition, long firstOffset, Object... keys) {
		List<WorkItem> items = new ArrayList<>();
		for (int i = 0; i < keys.length; i++) {
			items.add(item(partition, firstOffset + i, keys[i]));
		}
		return items;
	}

	private static WorkItem item(PartitionOffsets partition, long offset, Object key) {
		TopicPartition topicPartition = partition.topicPartition();
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(topicPartition.topic(), topicPartition.partition(),
				offset, key, "value-" + offset);
		return new WorkItem(record, partition, partition.receive(offset));
	}

	private Map<Object, List<Long>> offsetsByLane(Ordering ordering) {
		Map<Object, List<Long>> offsets = new LinkedHashMap<>();
		synchronized (this.calls) {
			for (List<WorkItem> call : this.calls) {
				for (WorkItem item : call) {
					offsets.computeIfAbsent(laneOf(ordering, item), (lane) -> new ArrayList<>())
						.add(item.record().offset());
				}
			}
		}
		return offsets;
	}

	private static Object laneOf(Ordering ordering, WorkItem item) {
		return ordering.laneKey(item.record(), item.partition().topicPartition());
	}

	private static Map.Entry<Object, List<Long>> entry(Ordering ordering, Object key, long... offsets) {
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(P0.topic(), P0.partition(), 0, key, "value");
		return Map.entry(ordering.laneKey(record, P0), Arrays.stream(offsets).boxed().toList());
	}

	private List<String> handled() {
		synchronized (this.calls) {
			return this.calls.stream().flatMap(List::stream).map(WorkItem::toString).toList();
		}
	}

	/**
	 * Queues the scheduler's tasks until the test runs them, in order or picked at
	 * random.
	 */
	static final class TaskQueue implements Executor {

		private final List<Runnable> tasks = new ArrayList<>();

		@Override
		public synchronized void execute(Runnable task) {
			this.tasks.add(task);
		}

		synchronized int pending() {
			return this.tasks.size();
		}

		boolean runOne(Random random) {
			Runnable task;
			synchronized (this) {
				if (this.tasks.isEmpty()) {
					return false;
				}
				task = this.tasks.remove((random != null) ? random.nextInt(this.tasks.size()) : 0);
			}
			task.run();
			return true;
		}

		void runAll(Random random) {
			while (runOne(random)) {
				// run the tasks, including those the tasks hand over
			}
		}

	}

}
