package io.kafkaworker.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The gate between a consumer's transaction and the sends of its handlers, over Kafka's
 * own {@link MockProducer} (transaction bookkeeping only; the broker's behaviour is
 * proved by {@code ExactlyOnceIntegrationTests}).
 */
class KafkaTransactionTests {

	private final List<MockProducer<Object, Object>> producers = new ArrayList<>();

	private final KafkaTransaction transaction = new KafkaTransaction("app-worker-0", (id) -> {
		@SuppressWarnings({ "unchecked", "rawtypes" })
		MockProducer<Object, Object> producer = new MockProducer<>(true, null,
				(org.apache.kafka.common.serialization.Serializer) new StringSerializer(),
				(org.apache.kafka.common.serialization.Serializer) new StringSerializer());
		this.producers.add(producer);
		return producer;
	});

	private final TopicPartition input = new TopicPartition("in", 0);

	@Test
	void sendsBetweenBeginAndCommitAreCommittedWithTheOffsets() {
		this.transaction.begin();
		this.transaction.send(new ProducerRecord<>("out", "k", "v"));
		assertThat(this.transaction.commit(Map.of(this.input, new OffsetAndMetadata(5)), metadata())).isNull();
		MockProducer<Object, Object> producer = this.producers.get(0);
		assertThat(producer.transactionInitialized()).isTrue();
		assertThat(producer.transactionCommitted()).isTrue();
		assertThat(producer.history()).hasSize(1);
		assertThat(producer.consumerGroupOffsetsHistory()).singleElement()
			.satisfies(
					(offsets) -> assertThat(offsets.get("group")).containsEntry(this.input, new OffsetAndMetadata(5)));
	}

	@Test
	void aSendAfterTheTransactionEndedFailsInsteadOfJoiningTheNextOne() {
		this.transaction.begin();
		this.transaction.abort();
		assertThat(this.transaction.isOpen()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> this.transaction.send(new ProducerRecord<>("out", "k", "v")))
			.withMessageContaining("has ended");
		assertThat(this.producers.get(0).transactionAborted()).isTrue();
		assertThat(this.producers.get(0).history()).isEmpty();
	}

	@Test
	void aFencedProducerIsReplacedByTheNextBegin() {
		this.transaction.begin();
		this.producers.get(0).commitTransactionException = new ProducerFencedException("newer instance");
		assertThat(this.transaction.commit(Map.of(this.input, new OffsetAndMetadata(5)), metadata()))
			.isInstanceOf(ProducerFencedException.class);
		assertThat(this.producers.get(0).closed()).isTrue();
		this.transaction.begin();
		assertThat(this.producers).hasSize(2);
		assertThat(this.producers.get(1).transactionInFlight()).isTrue();
	}

	@Test
	void theSendingViewSendsInTheTransactionAndIgnoresClose() {
		this.transaction.begin();
		this.transaction.sendingView().send(new ProducerRecord<>("dlt", "k", "v"), null);
		this.transaction.sendingView().close();
		assertThat(this.producers.get(0).closed()).isFalse();
		assertThat(this.producers.get(0).uncommittedRecords()).hasSize(1);
	}

	@Test
	void transactionalIdsReuseTheLowestFreeSlot() {
		TransactionalIds ids = new TransactionalIds("pod-1-", "orders");
		assertThat(ids.acquire()).isZero();
		assertThat(ids.acquire()).isOne();
		ids.release(0);
		assertThat(ids.acquire()).isZero();
		assertThat(ids.idOf(1)).isEqualTo("pod-1-orders-1");
	}

	private static ConsumerGroupMetadata metadata() {
		return new ConsumerGroupMetadata("group");
	}

}
