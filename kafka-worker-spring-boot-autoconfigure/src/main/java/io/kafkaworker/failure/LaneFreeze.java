package io.kafkaworker.failure;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;

/**
 * The hold of a record retried in place that froze: its lane is halted with the failed
 * call's records back at its head, so releasing it lets them run again, and skipping it
 * takes them off the lane's head and completes them.
 */
final class LaneFreeze implements FreezeHold {

	private final LaneScheduler<WorkItem> scheduler;

	private final Object laneKey;

	private final List<WorkItem> items;

	private final Throwable failure;

	private final int attempts;

	private final FailureActions actions;

	LaneFreeze(LaneScheduler<WorkItem> scheduler, Object laneKey, List<WorkItem> items, Throwable failure, int attempts,
			FailureActions actions) {
		this.scheduler = scheduler;
		this.laneKey = laneKey;
		this.items = List.copyOf(items);
		this.failure = failure;
		this.attempts = attempts;
		this.actions = actions;
	}

	Object laneKey() {
		return this.laneKey;
	}

	@Override
	public void release() {
		this.scheduler.release(this.laneKey::equals);
	}

	@Override
	public boolean skip(boolean toDeadLetter) {
		List<WorkItem> head = this.scheduler.peekHead(this.laneKey, this.items.size());
		if (!sameItems(head, this.items)) {
			return false;
		}
		if (toDeadLetter) {
			this.actions.publishDeadLetters(this.items, this.failure, this.attempts);
		}
		List<WorkItem> removed = this.scheduler.removeHead(this.laneKey, this.items.size());
		removed.forEach(WorkItem::complete);
		this.actions.count(removed, toDeadLetter ? RecordOutcome.DEAD_LETTERED : RecordOutcome.SKIPPED);
		release();
		return true;
	}

	private static boolean sameItems(List<WorkItem> head, List<WorkItem> items) {
		if (head.size() != items.size()) {
			return false;
		}
		for (int i = 0; i < head.size(); i++) {
			if (head.get(i) != items.get(i)) {
				return false;
			}
		}
		return true;
	}

}
