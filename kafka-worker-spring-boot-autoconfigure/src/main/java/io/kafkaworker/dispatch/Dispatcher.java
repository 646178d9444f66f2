package io.kafkaworker.dispatch;

import java.util.List;

import io.kafkaworker.lane.LaneScheduler;
import org.apache.kafka.common.TopicPartition;

/**
 * Hands the received records of one partition to their lanes, without blocking.
 */
public final class Dispatcher {

	private final Ordering ordering;

	private final LaneScheduler<WorkItem> scheduler;

	/**
	 * Create a dispatcher.
	 * @param ordering how records map to lanes
	 * @param scheduler the scheduler that runs the lanes
	 */
	public Dispatcher(Ordering ordering, LaneScheduler<WorkItem> scheduler) {
		this.ordering = ordering;
		this.scheduler = scheduler;
	}

	/**
	 * Submit the received records of one partition, in offset order. Records of one lane
	 * keep their relative order.
	 * @param partition the partition
	 * @param items the partition's records from one poll, in offset order
	 */
	public void dispatch(TopicPartition partition, List<WorkItem> items) {
		if (items.isEmpty()) {
			return;
		}
		if (this.ordering == Ordering.KEY) {
			this.scheduler.submitEach(items, (item) -> this.ordering.laneKey(item.record(), partition), true);
		}
		else {
			this.scheduler.submit(this.ordering.laneKey(items.get(0).record(), partition), this.ordering.exclusive(),
					items);
		}
	}

}
