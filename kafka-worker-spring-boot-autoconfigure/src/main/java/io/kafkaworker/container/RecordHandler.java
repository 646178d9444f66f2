package io.kafkaworker.container;

import java.util.List;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.CallHandler;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Handles one call on a lane thread: marks the records in flight, invokes the user's
 * method, completes the records or decides what a failure does to the lane.
 *
 * <p>
 * Records are completed before they leave the in-flight count, so that a revocation
 * waiting for in-flight records always sees their completion and commits it.
 */
final class RecordHandler implements CallHandler<WorkItem> {

	private static final Log logger = LogFactory.getLog(RecordHandler.class);

	private final String workerId;

	private final Delivery delivery;

	private final HandlerMethodInvoker invoker;

	private final Backpressure backpressure;

	RecordHandler(String workerId, Delivery delivery, HandlerMethodInvoker invoker, Backpressure backpressure) {
		this.workerId = workerId;
		this.delivery = delivery;
		this.invoker = invoker;
		this.backpressure = backpressure;
	}

	@Override
	public CallOutcome handle(List<WorkItem> items) {
		forEachPartition(items, PartitionOffsets::started);
		try {
			this.invoker.invoke(items);
			completeAll(items);
			return CallOutcome.DONE;
		}
		catch (Exception ex) {
			return failed(items, ex);
		}
		finally {
			forEachPartition(items, (partition, count) -> {
				partition.ended(count);
				this.backpressure.progressed(partition);
			});
		}
	}

	private CallOutcome failed(List<WorkItem> items, Exception ex) {
		if (this.delivery == Delivery.AT_MOST_ONCE) {
			logger.error("Worker '" + this.workerId + "' failed to handle " + items + "; skipped (at-most-once)", ex);
			completeAll(items);
			return CallOutcome.DONE;
		}
		logger.error("Worker '" + this.workerId + "' failed to handle " + items
				+ "; its lane is halted and the partition's commits stop before this record", ex);
		return CallOutcome.HALT;
	}

	private static void completeAll(List<WorkItem> items) {
		for (WorkItem item : items) {
			item.complete();
		}
	}

	// Call the action once per run of consecutive items of the same partition. Lanes hold
	// one partition's records except the single lane of SERIAL mode.
	private static void forEachPartition(List<WorkItem> items, PartitionAction action) {
		PartitionOffsets current = null;
		int count = 0;
		for (WorkItem item : items) {
			if (item.partition() != current) {
				if (current != null) {
					action.apply(current, count);
				}
				current = item.partition();
				count = 0;
			}
			count++;
		}
		if (current != null) {
			action.apply(current, count);
		}
	}

	@FunctionalInterface
	private interface PartitionAction {

		void apply(PartitionOffsets partition, int count);

	}

}
