package io.kafkaworker.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A producer to the {@link InMemoryKafka}. {@link MockProducer} keeps the transaction
 * state and its checks (begin before send, no commit after a fence); the records go to
 * the in-memory log: at once outside a transaction, and only when it commits inside one,
 * together with the offsets sent to it. What an aborted transaction sent never appears,
 * which is what a {@code read_committed} consumer sees.
 */
final class InMemoryProducer extends MockProducer<Object, Object> {

	private final InMemoryKafka kafka;

	private final List<ProducerRecord<Object, Object>> pending = new ArrayList<>();

	private @Nullable String pendingGroup;

	private @Nullable Map<TopicPartition, OffsetAndMetadata> pendingOffsets;

	@SuppressWarnings("NullAway") // MockProducer accepts no partitioner and no
									// serializers
	InMemoryProducer(InMemoryKafka kafka) {
		super(true, null, null, null);
		this.kafka = kafka;
	}

	@Override
	public synchronized Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
		return send(record, null);
	}

	@Override
	public synchronized Future<RecordMetadata> send(ProducerRecord<Object, Object> record,
			@Nullable Callback callback) {
		if (closed()) {
			throw new IllegalStateException("The producer is closed");
		}
		RecordMetadata metadata;
		if (transactionInFlight()) {
			this.pending.add(record);
			int partition = (record.partition() != null) ? record.partition() : -1;
			metadata = new RecordMetadata(new TopicPartition(record.topic(), partition), -1, 0, -1, -1, -1);
		}
		else {
			metadata = metadata(append(record));
		}
		if (callback != null) {
			callback.onCompletion(metadata, null);
		}
		return CompletableFuture.completedFuture(metadata);
	}

	@Override
	public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
			ConsumerGroupMetadata groupMetadata) {
		super.sendOffsetsToTransaction(offsets, groupMetadata);
		synchronized (this) {
			this.pendingGroup = groupMetadata.groupId();
			this.pendingOffsets = Map.copyOf(offsets);
		}
	}

	@Override
	public void commitTransaction() {
		super.commitTransaction();
		synchronized (this) {
			// One lock over the log for the records and the offsets: a consumer never
			// sees the offsets without the records.
			synchronized (this.kafka) {
				this.pending.forEach(this::append);
				if (this.pendingGroup != null && this.pendingOffsets != null) {
					this.kafka.commit(this.pendingGroup, this.pendingOffsets);
				}
			}
			clearPending();
		}
	}

	@Override
	public void abortTransaction() {
		super.abortTransaction();
		synchronized (this) {
			clearPending();
		}
	}

	private void clearPending() {
		this.pending.clear();
		this.pendingGroup = null;
		this.pendingOffsets = null;
	}

	private ConsumerRecord<Object, Object> append(ProducerRecord<Object, Object> record) {
		return this.kafka.append(record.topic(), record.partition(), record.key(), record.value(), record.headers(),
				record.timestamp());
	}

	private static RecordMetadata metadata(ConsumerRecord<Object, Object> record) {
		return new RecordMetadata(new TopicPartition(record.topic(), record.partition()), record.offset(), 0,
				record.timestamp(), -1, -1);
	}

	// The state is the log's, so nothing is lost when a template closes the producer it
	// was given after a send.
	@Override
	public void close() {
	}

	@Override
	public void close(java.time.Duration timeout) {
	}

}
