package io.kafkaworker.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations a worker makes: one per record a single-record handler handles, one
 * per lane-batch call. Key names follow OpenTelemetry's messaging semantic conventions.
 */
public enum KafkaWorkerObservation implements ObservationDocumentation {

	/**
	 * The handling of one record: every attempt, back-off and the failure policy, with
	 * the record's trace as parent.
	 */
	RECORD {

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.PARTITION, HighCardinalityKeys.OFFSET,
					HighCardinalityKeys.MESSAGE_KEY, HighCardinalityKeys.TOMBSTONE,
					HighCardinalityKeys.DELIVERY_COUNT };
		}

	},

	/**
	 * One lane-batch call: every attempt, back-off and the failure policy, linked to the
	 * trace of each record.
	 */
	BATCH {

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.PARTITION, HighCardinalityKeys.MESSAGE_KEY,
					HighCardinalityKeys.BATCH_MESSAGE_COUNT, HighCardinalityKeys.DELIVERY_COUNT };
		}

	};

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultKafkaWorkerObservationConvention.class;
	}

	@Override
	public KeyName[] getLowCardinalityKeyNames() {
		return LowCardinalityKeys.values();
	}

	/**
	 * Keys with few values, also tags of the observation's timer.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/**
		 * Always {@code kafka}.
		 */
		MESSAGING_SYSTEM("messaging.system"),

		/**
		 * Always {@code process}.
		 */
		OPERATION_TYPE("messaging.operation.type"),

		/**
		 * Always {@code process}.
		 */
		OPERATION_NAME("messaging.operation.name"),

		/**
		 * The records' topic.
		 */
		DESTINATION_NAME("messaging.destination.name"),

		/**
		 * The worker's consumer group.
		 */
		CONSUMER_GROUP("messaging.consumer.group.name"),

		/**
		 * The worker's id.
		 */
		WORKER("kafka.worker.id");

		private final String key;

		LowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/**
	 * Keys with a value per record, on the span only.
	 */
	public enum HighCardinalityKeys implements KeyName {

		/**
		 * The records' partition.
		 */
		PARTITION("messaging.destination.partition.id"),

		/**
		 * The record's offset.
		 */
		OFFSET("messaging.kafka.offset"),

		/**
		 * The record's key as text, when it has one that is not binary; for a lane-batch
		 * call, the key its records share.
		 */
		MESSAGE_KEY("messaging.kafka.message.key"),

		/**
		 * {@code true} when the record's value is null.
		 */
		TOMBSTONE("messaging.kafka.message.tombstone"),

		/**
		 * How many records the lane-batch call received.
		 */
		BATCH_MESSAGE_COUNT("messaging.batch.message_count"),

		/**
		 * How many times the broker delivered the record, for a share-group worker's
		 * records (1 on first delivery); for a lane-batch call, the highest of its
		 * records'.
		 */
		DELIVERY_COUNT("messaging.kafka.message.delivery_count");

		private final String key;

		HighCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
