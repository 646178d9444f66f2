package io.kafkaworker.delivery;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.lane.ReadyOrder;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeliveryGuarantees#readyOrder}: deepest lanes first only where a unit
 * counts only once all of it finished and no other consumer's unit shares the lanes.
 */
class DeliveryGuaranteesTests {

	@Test
	void deepestLanesGoFirstOnlyForKafkaTransactionsWithOneConsumer() {
		assertThat(DeliveryGuarantees.readyOrder(Delivery.EXACTLY_ONCE, ExactlyOnceStore.KAFKA, 1))
			.isEqualTo(ReadyOrder.DEEPEST_FIRST);
		assertThat(DeliveryGuarantees.readyOrder(Delivery.EXACTLY_ONCE, ExactlyOnceStore.KAFKA, 2))
			.as("units of several consumers share the lanes")
			.isEqualTo(ReadyOrder.ARRIVAL);
		assertThat(DeliveryGuarantees.readyOrder(Delivery.EXACTLY_ONCE, ExactlyOnceStore.JDBC, 1))
			.as("the inbox commits each call's records by watermark")
			.isEqualTo(ReadyOrder.ARRIVAL);
		assertThat(DeliveryGuarantees.readyOrder(Delivery.AT_LEAST_ONCE, ExactlyOnceStore.KAFKA, 1))
			.isEqualTo(ReadyOrder.ARRIVAL);
		assertThat(DeliveryGuarantees.readyOrder(Delivery.AT_MOST_ONCE, ExactlyOnceStore.KAFKA, 1))
			.isEqualTo(ReadyOrder.ARRIVAL);
	}

}
