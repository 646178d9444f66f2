package io.kafkaworker.container;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;

/**
 * One attempt to call a worker's handler method for the records of a call, on a lane
 * thread.
 */
@FunctionalInterface
public interface HandlerInvocation {

	/**
	 * Call the handler.
	 * @param records the records of the call, one for a single-record handler
	 * @throws Exception whatever the handler throws
	 */
	void invoke(List<WorkItem> records) throws Exception;

}
