package io.kafkaworker.container;

import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Adds behaviour around every handler call of a worker and hears about its commits: the
 * extension point of delivery guarantees that need more than offsets (the database inbox
 * of exactly-once delivery runs each call in a database transaction that also records the
 * records, and prunes what the commits passed).
 */
public interface InvocationDecorator {

	/**
	 * A decorator that adds nothing.
	 */
	InvocationDecorator NONE = (invocation) -> invocation;

	/**
	 * Wrap the handler calls.
	 * @param invocation calls the handler
	 * @return what the engine calls instead; each call of it is one attempt, retried by
	 * the worker's retry policy when it throws
	 */
	HandlerInvocation decorate(HandlerInvocation invocation);

	/**
	 * Hear that offsets were committed, on the consumer thread: must not block.
	 * @param groupId the consumer group
	 * @param offsets the committed offsets
	 */
	default void committed(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
	}

}
