package io.kafkaworker.container;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.kafkaworker.dispatch.WorkItem;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to call a worker's handler method for the records of a call, on a lane
 * thread.
 */
@FunctionalInterface
public interface HandlerInvocation {

	/**
	 * Call the handler.
	 * @param records the records of the call, one for a single-record handler
	 * @return null when the records are done once the handler returned, or what they must
	 * wait for before they complete: the acknowledgment of an at-least-once group-table
	 * write, which completes on a Kafka producer's thread
	 * @throws Exception whatever the handler throws
	 */
	@Nullable CompletableFuture<?> invoke(List<WorkItem> records) throws Exception;

}
