package io.kafkaworker.observation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.observation.KafkaWorkerObservation.HighCardinalityKeys;
import io.kafkaworker.observation.KafkaWorkerObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The default names and key values of a worker's observations, after OpenTelemetry's
 * messaging semantic conventions: the span of a record from topic {@code orders} is named
 * {@code process orders}.
 */
public class DefaultKafkaWorkerObservationConvention implements KafkaWorkerObservationConvention {

	/**
	 * The shared instance.
	 */
	public static final DefaultKafkaWorkerObservationConvention INSTANCE = new DefaultKafkaWorkerObservationConvention();

	/**
	 * The name of the observations, and of their timer: a worker's handler is either a
	 * single-record or a lane-batch handler, so one name serves both.
	 */
	public static final String NAME = "kafka.worker.process";

	// Records of a lane-batch call in SERIAL or PARALLEL mode may come from several
	// topics.
	private static final String SEVERAL_TOPICS = "(several topics)";

	// Bounded by the workers and their topics.
	private final Map<LowCardinality, KeyValues> lowCardinality = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(Observation.Context context) {
		return "process " + destination(call(context).getRecords());
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
		WorkerCallContext call = call(context);
		// The same few values for every call of a worker on a topic: built once, since
		// building KeyValues sorts them, and the observations of a busy worker come by
		// the hundred thousand per second.
		return this.lowCardinality.computeIfAbsent(
				new LowCardinality(call.getWorkerId(), call.getGroupId(), destination(call.getRecords())),
				(key) -> KeyValues.of(LowCardinalityKeys.MESSAGING_SYSTEM.withValue("kafka"),
						LowCardinalityKeys.OPERATION_TYPE.withValue("process"),
						LowCardinalityKeys.OPERATION_NAME.withValue("process"),
						LowCardinalityKeys.DESTINATION_NAME.withValue(key.destination()),
						LowCardinalityKeys.CONSUMER_GROUP.withValue(key.groupId()),
						LowCardinalityKeys.WORKER.withValue(key.workerId())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(Observation.Context context) {
		List<ConsumerRecord<?, ?>> records = call(context).getRecords();
		ConsumerRecord<?, ?> first = records.get(0);
		// Gathered first and made KeyValues once: each KeyValues.and sorts a new copy.
		KeyValue[] values = new KeyValue[5];
		int count = 0;
		Integer partition = RecordKeys.shared(records, ConsumerRecord::partition);
		if (partition != null) {
			values[count++] = HighCardinalityKeys.PARTITION.withValue(partition.toString());
		}
		String key = RecordKeys.sharedKeyText(records);
		if (key != null) {
			values[count++] = HighCardinalityKeys.MESSAGE_KEY.withValue(key);
		}
		int deliveryCount = deliveryCount(records);
		if (deliveryCount > 0) {
			values[count++] = HighCardinalityKeys.DELIVERY_COUNT.withValue(Integer.toString(deliveryCount));
		}
		if (context instanceof BatchObservationContext) {
			values[count++] = HighCardinalityKeys.BATCH_MESSAGE_COUNT.withValue(Integer.toString(records.size()));
		}
		else {
			values[count++] = HighCardinalityKeys.OFFSET.withValue(Long.toString(first.offset()));
			if (first.value() == null) {
				values[count++] = HighCardinalityKeys.TOMBSTONE.withValue("true");
			}
		}
		return KeyValues.of(Arrays.copyOf(values, count));
	}

	// Only records of a share group carry a delivery count; 0 when none does.
	private static int deliveryCount(List<ConsumerRecord<?, ?>> records) {
		int highest = 0;
		for (ConsumerRecord<?, ?> record : records) {
			highest = Math.max(highest, record.deliveryCount().map(Short::intValue).orElse(0));
		}
		return highest;
	}

	private static String destination(List<ConsumerRecord<?, ?>> records) {
		String topic = RecordKeys.shared(records, ConsumerRecord::topic);
		return (topic != null) ? topic : SEVERAL_TOPICS;
	}

	private static WorkerCallContext call(Observation.Context context) {
		return (WorkerCallContext) context;
	}

	private record LowCardinality(String workerId, String groupId, String destination) {
	}

}
