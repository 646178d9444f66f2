package io.kafkaworker.observation;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The coordinates of the records a lane thread handles, in its MDC while it handles them,
 * so that every log line of the handler, its retries and its failure policy names them.
 * One context serves the calls a lane thread runs one after the other, of any lanes,
 * until its run ends. Trace and span ids come from the tracer (Micrometer Tracing puts
 * {@code traceId} and {@code spanId} in the MDC while the call's span is current).
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

	private final String workerId;

	// What this context put last, so that a call updates only the keys that changed,
	// mostly the offset and key: when every record put and removed all five, this class
	// and the MDC were a sixth of the worker's CPU samples in a profile of the zero-work
	// benchmark (P2).
	private @Nullable String topic;

	private int partition = -1;

	private @Nullable String partitionText;

	private boolean keyPut;

	private RecordLogContext(String workerId) {
		this.workerId = workerId;
	}

	/**
	 * Open a context for the calls a lane thread runs one after the other; name each
	 * call's records with {@link #describe(List)}.
	 * @param workerId the worker
	 * @return the context, whose {@link #close()} removes every key it put
	 */
	public static RecordLogContext open(String workerId) {
		MDC.put(WORKER, workerId);
		return new RecordLogContext(workerId);
	}

	/**
	 * Put the coordinates of a call's records in this thread's MDC.
	 * @param workerId the worker
	 * @param records the call's records, all of one topic partition unless the mode is
	 * SERIAL or PARALLEL
	 * @return the context, whose {@link #close()} removes them
	 */
	public static RecordLogContext open(String workerId, List<ConsumerRecord<?, ?>> records) {
		RecordLogContext context = open(workerId);
		context.describe(records);
		return context;
	}

	/**
	 * Name the records of the thread's next call, in place of the previous call's.
	 * @param records the call's records, all of one topic partition unless the mode is
	 * SERIAL or PARALLEL
	 */
	public void describe(List<ConsumerRecord<?, ?>> records) {
		ConsumerRecord<?, ?> first = records.get(0);
		if (records.size() == 1 || (RecordKeys.shared(records, ConsumerRecord::topic) != null
				&& RecordKeys.shared(records, ConsumerRecord::partition) != null)) {
			// The same string, not an equal one: a handler that cleared or replaced
			// the MDC meanwhile gets every key back.
			if (this.partitionText == null || MDC.get(PARTITION) != this.partitionText) {
				MDC.put(WORKER, this.workerId);
				MDC.put(TOPIC, first.topic());
				this.topic = first.topic();
				putPartition(first.partition());
			}
			else {
				// In KEY mode a lane thread's consecutive calls are mostly of other
				// partitions, rarely of other topics.
				if (!first.topic().equals(this.topic)) {
					MDC.put(TOPIC, first.topic());
					this.topic = first.topic();
				}
				if (first.partition() != this.partition) {
					putPartition(first.partition());
				}
			}
			ConsumerRecord<?, ?> last = records.get(records.size() - 1);
			MDC.put(OFFSET,
					(records.size() == 1) ? String.valueOf(first.offset()) : first.offset() + "-" + last.offset());
		}
		else {
			if (this.partitionText != null) {
				MDC.remove(TOPIC);
				MDC.remove(PARTITION);
				MDC.remove(OFFSET);
				this.topic = null;
				this.partitionText = null;
			}
			if (MDC.get(WORKER) != this.workerId) {
				MDC.put(WORKER, this.workerId);
			}
		}
		String key = RecordKeys.sharedKeyText(records);
		if (key != null) {
			MDC.put(KEY, key);
			this.keyPut = true;
		}
		else if (this.keyPut) {
			MDC.remove(KEY);
			this.keyPut = false;
		}
	}

	private void putPartition(int partition) {
		String partitionText = String.valueOf(partition);
		MDC.put(PARTITION, partitionText);
		this.partition = partition;
		this.partitionText = partitionText;
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
