package io.kafkaworker.observation;

import java.util.List;

import io.kafkaworker.observation.KafkaWorkerObservation.HighCardinalityKeys;
import io.kafkaworker.observation.KafkaWorkerObservation.LowCardinalityKeys;
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
		return KeyValues.of(LowCardinalityKeys.MESSAGING_SYSTEM.withValue("kafka"),
				LowCardinalityKeys.OPERATION_TYPE.withValue("process"),
				LowCardinalityKeys.OPERATION_NAME.withValue("process"),
				LowCardinalityKeys.DESTINATION_NAME.withValue(destination(call.getRecords())),
				LowCardinalityKeys.CONSUMER_GROUP.withValue(call.getGroupId()),
				LowCardinalityKeys.WORKER.withValue(call.getWorkerId()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(Observation.Context context) {
		List<ConsumerRecord<?, ?>> records = call(context).getRecords();
		ConsumerRecord<?, ?> first = records.get(0);
		KeyValues values = KeyValues.empty();
		if (records.stream().allMatch((record) -> record.partition() == first.partition())) {
			values = values.and(HighCardinalityKeys.PARTITION.withValue(String.valueOf(first.partition())));
		}
		String key = RecordKeys.sharedKeyText(records);
		if (key != null) {
			values = values.and(HighCardinalityKeys.MESSAGE_KEY.withValue(key));
		}
		int deliveryCount = deliveryCount(records);
		if (deliveryCount > 0) {
			values = values.and(HighCardinalityKeys.DELIVERY_COUNT.withValue(String.valueOf(deliveryCount)));
		}
		if (context instanceof BatchObservationContext) {
			return values.and(HighCardinalityKeys.BATCH_MESSAGE_COUNT.withValue(String.valueOf(records.size())));
		}
		values = values.and(HighCardinalityKeys.OFFSET.withValue(String.valueOf(first.offset())));
		return (first.value() != null) ? values : values.and(HighCardinalityKeys.TOMBSTONE.withValue("true"));
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
		String topic = records.get(0).topic();
		return records.stream().allMatch((record) -> record.topic().equals(topic)) ? topic : SEVERAL_TOPICS;
	}

	private static WorkerCallContext call(Observation.Context context) {
		return (WorkerCallContext) context;
	}

}
