package io.kafkaworker.observation;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the observation of one handler call knows: the worker, its consumer group and the
 * records the call handles.
 */
public interface WorkerCallContext {

	/**
	 * Return the worker's id.
	 * @return the id
	 */
	String getWorkerId();

	/**
	 * Return the worker's consumer group.
	 * @return the group id
	 */
	String getGroupId();

	/**
	 * Return the call's records, in the order the handler receives them.
	 * @return the records, never empty
	 */
	List<ConsumerRecord<?, ?>> getRecords();

}
