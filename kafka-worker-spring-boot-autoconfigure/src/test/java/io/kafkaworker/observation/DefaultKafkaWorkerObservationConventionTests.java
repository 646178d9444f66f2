package io.kafkaworker.observation;

import java.util.List;
import java.util.Optional;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The span attributes of a record's and of a lane-batch call's observation.
 */
class DefaultKafkaWorkerObservationConventionTests {

	private final DefaultKafkaWorkerObservationConvention convention = DefaultKafkaWorkerObservationConvention.INSTANCE;

	@Test
	void aRecordOfAConsumerGroupHasItsPartitionOffsetAndKeyButNoDeliveryCount() {
		KeyValues values = this.convention
			.getHighCardinalityKeyValues(new RecordObservationContext("w", "g", record(7, "k", Optional.empty())));
		assertThat(values.stream().map(KeyValue::getKey)).containsExactlyInAnyOrder(
				"messaging.destination.partition.id", "messaging.kafka.offset", "messaging.kafka.message.key");
		assertThat(this.convention
			.getContextualName(new RecordObservationContext("w", "g", record(7, "k", Optional.empty()))))
			.isEqualTo("process orders");
	}

	@Test
	void aRecordOfAShareGroupCarriesItsDeliveryCount() {
		KeyValues values = this.convention.getHighCardinalityKeyValues(
				new RecordObservationContext("w", "g", record(7, "k", Optional.of((short) 3))));
		assertThat(values.stream()).contains(KeyValue.of("messaging.kafka.message.delivery_count", "3"));
	}

	@Test
	void aLaneBatchCallCarriesTheHighestDeliveryCountOfItsRecords() {
		List<ConsumerRecord<?, ?>> records = List.of(record(1, "k", Optional.of((short) 1)),
				record(2, "k", Optional.of((short) 4)), record(3, "k", Optional.of((short) 2)));
		KeyValues values = this.convention.getHighCardinalityKeyValues(new BatchObservationContext("w", "g", records));
		assertThat(values.stream()).contains(KeyValue.of("messaging.kafka.message.delivery_count", "4"),
				KeyValue.of("messaging.batch.message_count", "3"));
	}

	@Test
	void theLowCardinalityValuesNameTheWorkerItsGroupAndTheTopicOrSeveralTopics() {
		KeyValues values = this.convention
			.getLowCardinalityKeyValues(new RecordObservationContext("w", "g", record(7, "k", Optional.empty())));
		assertThat(values.stream()).containsExactlyInAnyOrder(KeyValue.of("messaging.system", "kafka"),
				KeyValue.of("messaging.operation.type", "process"), KeyValue.of("messaging.operation.name", "process"),
				KeyValue.of("messaging.destination.name", "orders"), KeyValue.of("messaging.consumer.group.name", "g"),
				KeyValue.of("kafka.worker.id", "w"));
		List<ConsumerRecord<?, ?>> mixed = List.of(record(1, "k", Optional.empty()),
				new ConsumerRecord<>("refunds", 0, 2L, "k", "value"));
		BatchObservationContext batch = new BatchObservationContext("w", "g", mixed);
		assertThat(this.convention.getLowCardinalityKeyValues(batch).stream())
			.contains(KeyValue.of("messaging.destination.name", "(several topics)"));
		assertThat(this.convention.getHighCardinalityKeyValues(batch).stream()).containsExactlyInAnyOrder(
				KeyValue.of("messaging.destination.partition.id", "0"), KeyValue.of("messaging.kafka.message.key", "k"),
				KeyValue.of("messaging.batch.message_count", "2"));
	}

	private static ConsumerRecord<?, ?> record(long offset, String key, Optional<Short> deliveryCount) {
		return new ConsumerRecord<>("orders", 0, offset, 0L, TimestampType.CREATE_TIME, 1, 5, key, "value",
				new RecordHeaders(), Optional.empty(), deliveryCount);
	}

}
