package io.kafkaworker.observation;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * The coordinates of the records a lane thread handles, in its MDC while it handles them,
 * so that every log line of the handler, its retries and its failure policy names them.
 * Trace and span ids come from the tracer (Micrometer Tracing puts {@code traceId} and
 * {@code spanId} in the MDC while the call's span is current).
 */
public final class RecordLogContext implements AutoCloseable {

	/**
	 * MDC key of the worker's id.
	 */
	public static final String WORKER = "kafka.worker";

	/**
	 * MDC key of the records' topic.
	 */
	public static final String TOPIC = "kafka.topic";

	/**
	 * MDC key of the records' partition.
	 */
	public static final String PARTITION = "kafka.partition";

	/**
	 * MDC key of the record's offset; for a lane-batch call, the first and last offsets
	 * as {@code first-last}.
	 */
	public static final String OFFSET = "kafka.offset";

	/**
	 * MDC key of the record's key as text, absent for null and binary keys; for a
	 * lane-batch call, the key its records share, if they do.
	 */
	public static final String KEY = "kafka.key";

	private static final String[] KEYS = { WORKER, TOPIC, PARTITION, OFFSET, KEY };

	private RecordLogContext() {
	}

	/**
	 * Put the coordinates of a call's records in this thread's MDC.
	 * @param workerId the worker
	 * @param records the call's records, all of one topic partition unless the mode is
	 * SERIAL or PARALLEL
	 * @return the context, whose {@link #close()} removes them
	 */
	public static RecordLogContext open(String workerId, List<ConsumerRecord<?, ?>> records) {
		ConsumerRecord<?, ?> first = records.get(0);
		ConsumerRecord<?, ?> last = records.get(records.size() - 1);
		MDC.put(WORKER, workerId);
		if (RecordKeys.shared(records, ConsumerRecord::topic) != null
				&& RecordKeys.shared(records, ConsumerRecord::partition) != null) {
			MDC.put(TOPIC, first.topic());
			MDC.put(PARTITION, String.valueOf(first.partition()));
			MDC.put(OFFSET,
					(records.size() == 1) ? String.valueOf(first.offset()) : first.offset() + "-" + last.offset());
		}
		String key = RecordKeys.sharedKeyText(records);
		if (key != null) {
			MDC.put(KEY, key);
		}
		return new RecordLogContext();
	}

	/**
	 * Remove the coordinates from this thread's MDC.
	 */
	@Override
	public void close() {
		for (String key : KEYS) {
			MDC.remove(key);
		}
	}

}
