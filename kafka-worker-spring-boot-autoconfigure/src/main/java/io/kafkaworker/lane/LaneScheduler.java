package io.kafkaworker.lane;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs work items through lanes on an {@link Executor}, with at most {@code concurrency}
 * handler calls at once.
 *
 * <p>
 * A lane is a FIFO queue of items that share a key (a partition, a key of a partition, or
 * the whole worker). An <em>exclusive</em> lane runs one call at a time, so its items are
 * handled one after another in the order they were submitted; a non-exclusive lane may
 * run many calls at once. Each call takes up to {@code maxCallSize} items from the head
 * of one lane.
 *
 * <p>
 * Invariants:
 * <ul>
 * <li>At most {@code concurrency} calls run at once, across all lanes.</li>
 * <li>An exclusive lane never has two calls running, and never hands out an item before
 * every earlier item of the lane has finished.</li>
 * <li>A halted lane starts no call until {@link #release(Predicate)}; the items of the
 * call that halted it are back at its head, in their original order.</li>
 * <li>No call takes an item that matches a {@link #hold hold}. An exclusive lane whose
 * head item matches a hold starts no call; a non-exclusive lane, which keeps no order,
 * runs its other items. Holds are rules, not flags: items that arrive later are held too,
 * and items ahead of the held ones still run.</li>
 * <li>A lane that has items to run and is not running waits in a FIFO ready queue; a
 * finished call takes the next ready lane before its own lane runs again, so one busy
 * lane cannot starve the others.</li>
 * </ul>
 * Submitting never blocks on a handler: it appends to a queue and at most hands a new
 * task to the executor. A finished call continues on the same thread with the next ready
 * lane, so a busy worker does not pay for a task hand-off per call.
 *
 * <p>
 * Written by hand because no maintained library offers keyed FIFO lanes with a shared
 * concurrency bound, halting and discarding by predicate (Parallel Consumer's shards are
 * internal to its engine, and Reactor's {@code groupBy} cannot halt one group).
 *
 * @param <T> the type of work item
 */
public final class LaneScheduler<T> {

	private static final Log logger = LogFactory.getLog(LaneScheduler.class);

	private final ReentrantLock lock = new ReentrantLock();

	// Signalled whenever the last running call finishes.
	private final Condition idle = this.lock.newCondition();

	private final Map<Object, Lane<T>> lanes = new HashMap<>();

	/** Lanes that could start a call but wait for a free slot. */
	private final ArrayDeque<Lane<T>> ready = new ArrayDeque<>();

	private final int concurrency;

	private final int maxCallSize;

	private final boolean chunking;

	private final Executor executor;

	private final CallHandler<T> handler;

	// Active holds by id; no call takes an item that matches one of them.
	private final Map<Object, Predicate<? super T>> holds = new HashMap<>();

	// Whether any hold is active, read without the lock by calls checking their items.
	private volatile boolean holding;

	/** Calls running now; never more than {@link #concurrency}. */
	private int running;

	private int buffered;

	private boolean closed;

	/**
	 * Create a scheduler whose calls take as many items as available, up to
	 * {@code maxCallSize}: the lane-batch size.
	 * @param concurrency the maximum number of calls running at once
	 * @param maxCallSize the maximum number of items per call
	 * @param executor the executor that runs calls
	 * @param handler the handler of each call, invoked on an executor thread
	 */
	public LaneScheduler(int concurrency, int maxCallSize, Executor executor, CallHandler<T> handler) {
		this(concurrency, maxCallSize, false, executor, handler);
	}

	/**
	 * Create a scheduler.
	 * @param concurrency the maximum number of calls running at once
	 * @param maxCallSize the maximum number of items per call
	 * @param chunking whether calls carry items that are handled one by one, so the call
	 * size only trades scheduling overhead against fairness: an exclusive lane then takes
	 * more than one item only when no other lane waits for a slot, and a non-exclusive
	 * lane splits its items evenly over the free slots
	 * @param executor the executor that runs calls
	 * @param handler the handler of each call, invoked on an executor thread
	 */
	public LaneScheduler(int concurrency, int maxCallSize, boolean chunking, Executor executor,
			CallHandler<T> handler) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1");
		}
		if (maxCallSize < 1) {
			throw new IllegalArgumentException("maxCallSize must be at least 1");
		}
		this.concurrency = concurrency;
		this.maxCallSize = maxCallSize;
		this.chunking = chunking;
		this.executor = executor;
		this.handler = handler;
	}

	/**
	 * Append items to the tail of a lane, creating the lane if needed, and start calls if
	 * slots are free.
	 * @param laneKey the lane's key; equal keys share a lane
	 * @param exclusive whether the lane runs one call at a time (used when the lane is
	 * created)
	 * @param items the items, in the order they must be handled
	 */
	public void submit(Object laneKey, boolean exclusive, List<T> items) {
		submit(Collections.singletonMap(laneKey, items), exclusive);
	}

	/**
	 * Append items to the tails of several lanes at once, creating lanes if needed, and
	 * start calls if slots are free.
	 * @param itemsByLane the items of each lane, each list in the order its items must be
	 * handled
	 * @param exclusive whether new lanes run one call at a time
	 */
	public void submit(Map<Object, List<T>> itemsByLane, boolean exclusive) {
		List<Call<T>> calls;
		this.lock.lock();
		try {
			if (this.closed) {
				throw new IllegalStateException("Lane scheduler is closed");
			}
			for (Map.Entry<Object, List<T>> entry : itemsByLane.entrySet()) {
				List<T> items = entry.getValue();
				if (!items.isEmpty()) {
					Lane<T> lane = this.lanes.computeIfAbsent(entry.getKey(), (key) -> newLane(key, exclusive));
					lane.items.addAll(items);
					this.buffered += items.size();
					makeReady(lane);
				}
			}
			calls = startCalls();
		}
		finally {
			this.lock.unlock();
		}
		for (Call<T> call : calls) {
			execute(call);
		}
	}

	/**
	 * Append each item to the tail of its own lane, under one lock, and start calls if
	 * slots are free. Items of one lane keep their relative order.
	 * @param items the items, in the order they must be handled per lane
	 * @param laneKeyOf the lane key of an item
	 * @param exclusive whether new lanes run one call at a time
	 */
	public void submitEach(List<T> items, Function<? super T, Object> laneKeyOf, boolean exclusive) {
		List<Call<T>> calls;
		this.lock.lock();
		try {
			if (this.closed) {
				throw new IllegalStateException("Lane scheduler is closed");
			}
			for (T item : items) {
				Lane<T> lane = this.lanes.computeIfAbsent(laneKeyOf.apply(item), (key) -> newLane(key, exclusive));
				lane.items.addLast(item);
				makeReady(lane);
			}
			this.buffered += items.size();
			calls = startCalls();
		}
		finally {
			this.lock.unlock();
		}
		for (Call<T> call : calls) {
			execute(call);
		}
	}

	/**
	 * Remove the buffered items that match, from every lane. Items inside a running call
	 * are not touched while it runs, but they never come back: if the call puts them back
	 * (a halt), they are dropped instead, and a call left with nothing to put back does
	 * not halt its lane.
	 * @param matcher which items to remove
	 * @return the removed items (buffered ones only)
	 */
	public List<T> discard(Predicate<? super T> matcher) {
		List<T> removed = new ArrayList<>();
		List<Call<T>> calls;
		this.lock.lock();
		try {
			List<Lane<T>> touched = new ArrayList<>();
			for (Lane<T> lane : this.lanes.values()) {
				// A call that ends after this discard must not put the matching items
				// back: their owner dropped them (a revoked or rewound partition), and a
				// lane halted on them would never be released.
				for (Call<T> call : lane.calls) {
					call.discard(matcher);
				}
				T head = lane.items.peekFirst();
				boolean removedAny = lane.items.removeIf((item) -> {
					boolean matches = matcher.test(item);
					if (matches) {
						removed.add(item);
					}
					return matches;
				});
				if (removedAny) {
					// A lane halts on its head item; once that item is gone (its
					// partition
					// was revoked) nothing holds the lane any more.
					if (lane.items.peekFirst() != head) {
						lane.halted = false;
					}
					touched.add(lane);
				}
			}
			this.buffered -= removed.size();
			for (Lane<T> lane : touched) {
				makeReady(lane);
				retireIfIdle(lane);
			}
			calls = this.closed ? Collections.emptyList() : startCalls();
		}
		finally {
			this.lock.unlock();
		}
		for (Call<T> call : calls) {
			execute(call);
		}
		return removed;
	}

	/**
	 * Hold the items that match, now and in the future: no call takes them, so a lane
	 * stops when its head item matches, until {@link #unhold} is called with the same id.
	 * Calls already running finish normally, and items ahead of the held ones still run.
	 * @param holdId identifies the hold; holding again with the same id replaces it
	 * @param itemMatcher which items to hold
	 */
	public void hold(Object holdId, Predicate<? super T> itemMatcher) {
		this.lock.lock();
		try {
			this.holds.put(holdId, itemMatcher);
			this.holding = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return whether a hold matches an item. A call that handles its items one by one
	 * asks before each item, since a hold may start while the call runs; it is cheap when
	 * no hold is active.
	 * @param item the item
	 * @return true if the item must not be handled now
	 */
	public boolean isHeld(T item) {
		if (!this.holding) {
			return false;
		}
		this.lock.lock();
		try {
			return isHeldLocked(item);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Lift a hold; lanes whose head no other hold matches run again.
	 * @param holdId the id given to {@link #hold}
	 * @return whether a hold with this id existed
	 */
	public boolean unhold(Object holdId) {
		List<Call<T>> calls;
		boolean existed;
		this.lock.lock();
		try {
			existed = this.holds.remove(holdId) != null;
			this.holding = !this.holds.isEmpty();
			if (existed) {
				for (Lane<T> lane : this.lanes.values()) {
					makeReady(lane);
				}
			}
			calls = this.closed ? Collections.emptyList() : startCalls();
		}
		finally {
			this.lock.unlock();
		}
		for (Call<T> call : calls) {
			execute(call);
		}
		return existed;
	}

	/**
	 * Take up to {@code count} items off the head of a lane that is not running a call,
	 * for example a failed record that an operator skips.
	 * @param laneKey the lane's key
	 * @param count how many items at most
	 * @return the removed items, in lane order; empty if the lane does not exist or is
	 * running a call
	 */
	public List<T> removeHead(Object laneKey, int count) {
		this.lock.lock();
		try {
			Lane<T> lane = this.lanes.get(laneKey);
			if (lane == null || !lane.calls.isEmpty()) {
				return Collections.emptyList();
			}
			List<T> removed = new ArrayList<>(Math.min(count, lane.items.size()));
			while (removed.size() < count && !lane.items.isEmpty()) {
				removed.add(lane.items.pollFirst());
			}
			this.buffered -= removed.size();
			retireIfIdle(lane);
			return removed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the items at the head of a lane, without removing them.
	 * @param laneKey the lane's key
	 * @param count how many items at most
	 * @return the items, in lane order; empty if the lane does not exist
	 */
	public List<T> peekHead(Object laneKey, int count) {
		this.lock.lock();
		try {
			Lane<T> lane = this.lanes.get(laneKey);
			if (lane == null) {
				return Collections.emptyList();
			}
			List<T> head = new ArrayList<>(Math.min(count, lane.items.size()));
			for (T item : lane.items) {
				if (head.size() == count) {
					break;
				}
				head.add(item);
			}
			return head;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return whether a lane is halted after a failure.
	 * @param laneKey the lane's key
	 * @return true if the lane exists and is halted
	 */
	public boolean isHalted(Object laneKey) {
		this.lock.lock();
		try {
			Lane<T> lane = this.lanes.get(laneKey);
			return lane != null && lane.halted;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Count the buffered items of halted lanes whose key matches.
	 * @param keyMatcher which lane keys to count
	 * @return the number of items waiting behind halted lanes
	 */
	public int stalledItems(Predicate<Object> keyMatcher) {
		this.lock.lock();
		try {
			int count = 0;
			for (Lane<T> lane : this.lanes.values()) {
				if (lane.halted && keyMatcher.test(lane.key)) {
					count += lane.items.size();
				}
			}
			return count;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the buffered items of the deepest lane whose key matches, for example the
	 * deepest lane of one partition. Items inside a running call are not counted.
	 * @param keyMatcher which lane keys to look at
	 * @return the items waiting in the deepest matching lane, 0 if none
	 */
	public int deepestLane(Predicate<Object> keyMatcher) {
		this.lock.lock();
		try {
			int deepest = 0;
			for (Lane<T> lane : this.lanes.values()) {
				if (lane.items.size() > deepest && keyMatcher.test(lane.key)) {
					deepest = lane.items.size();
				}
			}
			return deepest;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Release halted lanes whose key matches, so they run again from their head.
	 * @param keyMatcher which lane keys to release
	 * @return the number of lanes released
	 */
	public int release(Predicate<Object> keyMatcher) {
		List<Call<T>> calls;
		int count = 0;
		this.lock.lock();
		try {
			for (Lane<T> lane : this.lanes.values()) {
				if (lane.halted && keyMatcher.test(lane.key)) {
					lane.halted = false;
					makeReady(lane);
					count++;
				}
			}
			calls = this.closed ? Collections.emptyList() : startCalls();
		}
		finally {
			this.lock.unlock();
		}
		for (Call<T> call : calls) {
			execute(call);
		}
		return count;
	}

	/**
	 * Stop starting calls and drop every buffered item. Running calls finish.
	 * @return the dropped items
	 */
	public List<T> close() {
		this.lock.lock();
		try {
			this.closed = true;
		}
		finally {
			this.lock.unlock();
		}
		return discard((item) -> true);
	}

	/**
	 * Wait until no call runs. With the lanes that could still run held or halted, no
	 * call starts after that.
	 * @param timeout the longest time to wait
	 * @return whether no call runs; false if the time passed first
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.running > 0) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.idle.awaitNanos(nanos);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return a consistent view of the scheduler's state.
	 * @return the snapshot
	 */
	public LaneSnapshot snapshot() {
		this.lock.lock();
		try {
			int halted = 0;
			for (Lane<T> lane : this.lanes.values()) {
				if (lane.halted || isHeldLocked(lane.items.peekFirst())) {
					halted++;
				}
			}
			return new LaneSnapshot(this.lanes.size(), halted, this.buffered, this.running, this.concurrency);
		}
		finally {
			this.lock.unlock();
		}
	}

	// Called by a runner when a call returns: frees its slot and picks the next calls.
	private List<Call<T>> finish(Call<T> call, CallOutcome outcome) {
		this.lock.lock();
		try {
			Lane<T> lane = call.lane();
			this.running--;
			lane.remove(call);
			if (this.closed) {
				// Nothing runs after close: a halted call's items are dropped like the
				// rest.
				retireIfIdle(lane);
				signalIfIdle();
				return Collections.emptyList();
			}
			if (outcome.isPutBack()) {
				List<T> items = call.items();
				List<T> back = new ArrayList<>(
						items.subList(Math.min(outcome.fromIndex(), items.size()), items.size()));
				back.removeIf(call::discarded);
				if (!back.isEmpty()) {
					pushBack(lane, back);
					lane.halted = outcome.isHalt();
				}
			}
			makeReady(lane);
			retireIfIdle(lane);
			List<Call<T>> calls = startCalls();
			signalIfIdle();
			return calls;
		}
		finally {
			this.lock.unlock();
		}
	}

	// Requires the lock.
	private void signalIfIdle() {
		if (this.running == 0) {
			this.idle.signalAll();
		}
	}

	// Put a lane in the ready queue if it can start a call. Requires the lock.
	private void makeReady(Lane<T> lane) {
		if (!lane.queued && canStartCall(lane)) {
			lane.queued = true;
			this.ready.addLast(lane);
		}
	}

	// Start calls from ready lanes while slots are free. Requires the lock.
	private List<Call<T>> startCalls() {
		List<Call<T>> calls = null;
		while (this.running < this.concurrency && !this.ready.isEmpty()) {
			Lane<T> lane = this.ready.pollFirst();
			lane.queued = false;
			if (!canStartCall(lane)) {
				retireIfIdle(lane);
				continue;
			}
			int size = callSize(lane);
			List<T> items = new ArrayList<>(size);
			takeItems(lane, size, items);
			this.buffered -= items.size();
			Call<T> call = new Call<>(lane, items);
			lane.calls.add(call);
			this.running++;
			if (calls == null) {
				calls = new ArrayList<>(2);
			}
			calls.add(call);
			makeReady(lane);
		}
		return (calls != null) ? calls : Collections.emptyList();
	}

	// Requires the lock; the lane was just taken off the ready queue.
	private int callSize(Lane<T> lane) {
		int available = lane.items.size();
		if (!this.chunking) {
			return Math.min(this.maxCallSize, available);
		}
		if (lane.exclusive) {
			return this.ready.isEmpty() ? Math.min(this.maxCallSize, available) : 1;
		}
		int freeSlots = this.concurrency - this.running;
		return Math.min(this.maxCallSize, (available + freeSlots - 1) / freeSlots);
	}

	private Lane<T> newLane(Object key, boolean exclusive) {
		return new Lane<>(key, exclusive);
	}

	// Requires the lock.
	private boolean isHeldLocked(@Nullable T item) {
		if (item == null || this.holds.isEmpty()) {
			return false;
		}
		for (Predicate<? super T> hold : this.holds.values()) {
			if (hold.test(item)) {
				return true;
			}
		}
		return false;
	}

	// An exclusive lane stops at its first held item, to keep its order. A non-exclusive
	// lane has no order to keep (and calls that put items back may have mixed it up), so
	// it passes held items and takes the others. Requires the lock.
	private void takeItems(Lane<T> lane, int size, List<T> into) {
		if (this.holds.isEmpty() || lane.exclusive) {
			while (into.size() < size && !lane.items.isEmpty() && !isHeldLocked(lane.items.peekFirst())) {
				into.add(lane.items.pollFirst());
			}
			return;
		}
		Iterator<T> items = lane.items.iterator();
		while (into.size() < size && items.hasNext()) {
			T item = items.next();
			if (!isHeldLocked(item)) {
				into.add(item);
				items.remove();
			}
		}
	}

	// Requires the lock.
	private boolean canStartCall(Lane<T> lane) {
		if (lane.halted || lane.items.isEmpty() || (lane.exclusive && !lane.calls.isEmpty())) {
			return false;
		}
		if (this.holds.isEmpty()) {
			return true;
		}
		if (lane.exclusive) {
			return !isHeldLocked(lane.items.peekFirst());
		}
		for (T item : lane.items) {
			if (!isHeldLocked(item)) {
				return true;
			}
		}
		return false;
	}

	// An idle lane leaves the map; a stale entry for it in the ready queue is skipped.
	private void retireIfIdle(Lane<T> lane) {
		if (lane.calls.isEmpty() && lane.items.isEmpty() && !lane.halted) {
			this.lanes.remove(lane.key, lane);
		}
	}

	private void execute(Call<T> call) {
		try {
			this.executor.execute(new Runner(call));
		}
		catch (RejectedExecutionException ex) {
			logger.error("Executor rejected a call for lane " + call.lane().key + "; its " + call.items().size()
					+ " items stay buffered", ex);
			undo(call);
		}
	}

	// Put a call that never ran back at the head of its lane.
	private void undo(Call<T> call) {
		this.lock.lock();
		try {
			Lane<T> lane = call.lane();
			this.running--;
			lane.remove(call);
			if (this.closed) {
				retireIfIdle(lane);
				return;
			}
			List<T> back = new ArrayList<>(call.items());
			back.removeIf(call::discarded);
			pushBack(lane, back);
			makeReady(lane);
			signalIfIdle();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void pushBack(Lane<T> lane, List<T> items) {
		for (int i = items.size() - 1; i >= 0; i--) {
			lane.items.addFirst(items.get(i));
		}
		this.buffered += items.size();
	}

	/**
	 * Runs calls on an executor thread until no lane is ready.
	 */
	private final class Runner implements Runnable {

		private final Call<T> first;

		Runner(Call<T> first) {
			this.first = first;
		}

		@Override
		public void run() {
			try {
				Call<T> call = this.first;
				while (call != null) {
					CallOutcome outcome = invoke(call);
					List<Call<T>> next = finish(call, outcome);
					runOnHalted(outcome);
					call = null;
					for (Call<T> candidate : next) {
						if (call == null) {
							call = candidate;
						}
						else {
							execute(candidate);
						}
					}
				}
			}
			finally {
				runEnded();
			}
		}

		private void runEnded() {
			try {
				LaneScheduler.this.handler.runEnded();
			}
			catch (RuntimeException ex) {
				logger.error("Call handler failed to end its run", ex);
			}
		}

		private void runOnHalted(CallOutcome outcome) {
			Runnable onHalted = outcome.onHalted();
			if (onHalted != null) {
				try {
					onHalted.run();
				}
				catch (RuntimeException ex) {
					logger.error("Action after halting a lane failed", ex);
				}
			}
		}

		private CallOutcome invoke(Call<T> call) {
			try {
				return LaneScheduler.this.handler.handle(call.items());
			}
			catch (RuntimeException | Error ex) {
				// The handler is meant to classify failures itself; anything escaping it
				// halts the lane so that no record is skipped.
				logger.error("Call handler failed for lane " + call.lane().key + "; the lane is halted", ex);
				return CallOutcome.HALT;
			}
		}

	}

	/**
	 * One call: its lane, its items, and the matchers of the discards made while it ran.
	 * Guarded by the scheduler's lock, except the items, which the runner reads.
	 */
	private static final class Call<T> {

		private final Lane<T> lane;

		private final List<T> items;

		// Allocated by the first discard that meets the call (rare: a revocation or a
		// rewind while it runs).
		private @Nullable List<Predicate<? super T>> discards;

		Call(Lane<T> lane, List<T> items) {
			this.lane = lane;
			this.items = items;
		}

		Lane<T> lane() {
			return this.lane;
		}

		List<T> items() {
			return this.items;
		}

		void discard(Predicate<? super T> matcher) {
			if (this.discards == null) {
				this.discards = new ArrayList<>(1);
			}
			this.discards.add(matcher);
		}

		boolean discarded(T item) {
			if (this.discards != null) {
				for (Predicate<? super T> discard : this.discards) {
					if (discard.test(item)) {
						return true;
					}
				}
			}
			return false;
		}

	}

	/**
	 * One queue of items that share a key. Guarded by the scheduler's lock.
	 */
	private static final class Lane<T> {

		final Object key;

		final boolean exclusive;

		final ArrayDeque<T> items = new ArrayDeque<>();

		// Its running calls: at most one if exclusive.
		final List<Call<T>> calls = new ArrayList<>(1);

		boolean queued;

		boolean halted;

		Lane(Object key, boolean exclusive) {
			this.key = key;
			this.exclusive = exclusive;
		}

		// By identity: two calls of a non-exclusive lane are never the same call.
		void remove(Call<T> call) {
			for (int i = this.calls.size() - 1; i >= 0; i--) {
				if (this.calls.get(i) == call) {
					this.calls.remove(i);
					return;
				}
			}
		}

	}

}
