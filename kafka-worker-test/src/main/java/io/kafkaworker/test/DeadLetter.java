package io.kafkaworker.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * A record read from a dead-letter topic, with readers for the headers Spring Kafka's
 * {@code DeadLetterPublishingRecoverer} adds. Read from a broker, key and value are the
 * original record's bytes and {@link #key()} and {@link #value()} read them as UTF-8;
 * from the {@link KafkaWorkerTester}'s in-memory Kafka, they are the objects the test
 * sent and {@link #key()} and {@link #value()} give their string forms.
 */
public final class DeadLetter {

	private final ConsumerRecord<?, ?> record;

	DeadLetter(ConsumerRecord<?, ?> record) {
		this.record = record;
	}

	/**
	 * Return the record as read from the dead-letter topic.
	 * @return the record
	 */
	public ConsumerRecord<?, ?> record() {
		return this.record;
	}

	/**
	 * Return the key as UTF-8 text.
	 * @return the key, or null
	 */
	public @Nullable String key() {
		return text(this.record.key());
	}

	/**
	 * Return the value as UTF-8 text.
	 * @return the value, or null for a tombstone
	 */
	public @Nullable String value() {
		return text(this.record.value());
	}

	/**
	 * Return every header of the record.
	 * @return the headers
	 */
	public Headers headers() {
		return this.record.headers();
	}

	/**
	 * Return the last header of a name as UTF-8 text.
	 * @param name the header name
	 * @return its value, or null if the record has no such header
	 */
	public @Nullable String header(String name) {
		Header header = this.record.headers().lastHeader(name);
		return (header != null) ? text(header.value()) : null;
	}

	/**
	 * Return the topic the failed record came from ({@code kafka_dlt-original-topic}).
	 * @return the topic, or null without the header
	 */
	public @Nullable String originalTopic() {
		return header(KafkaHeaders.DLT_ORIGINAL_TOPIC);
	}

	/**
	 * Return the partition the failed record came from
	 * ({@code kafka_dlt-original-partition}).
	 * @return the partition, or -1 without the header
	 */
	public int originalPartition() {
		Header header = this.record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
		return (header != null) ? ByteBuffer.wrap(header.value()).getInt() : -1;
	}

	/**
	 * Return the offset of the failed record ({@code kafka_dlt-original-offset}).
	 * @return the offset, or -1 without the header
	 */
	public long originalOffset() {
		Header header = this.record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
		return (header != null) ? ByteBuffer.wrap(header.value()).getLong() : -1;
	}

	/**
	 * Return the class name of the failure ({@code kafka_dlt-exception-fqcn}).
	 * @return the class name, or null without the header
	 */
	public @Nullable String exceptionClassName() {
		return header(KafkaHeaders.DLT_EXCEPTION_FQCN);
	}

	/**
	 * Return the message of the failure ({@code kafka_dlt-exception-message}).
	 * @return the message, or null without the header
	 */
	public @Nullable String exceptionMessage() {
		return header(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
	}

	/**
	 * Return how many times the handler was called for the record
	 * ({@code kafka_deliveryAttempt}).
	 * @return the attempts, or -1 without the header
	 */
	public int deliveryAttempts() {
		Header header = this.record.headers().lastHeader(KafkaHeaders.DELIVERY_ATTEMPT);
		return (header != null) ? ByteBuffer.wrap(header.value()).getInt() : -1;
	}

	@Override
	public String toString() {
		return "DeadLetter[" + this.record.topic() + "-" + this.record.partition() + "@" + this.record.offset()
				+ ", key=" + key() + ", from " + originalTopic() + "-" + originalPartition() + "@" + originalOffset()
				+ ", " + exceptionClassName() + ": " + exceptionMessage() + "]";
	}

	// Bytes from a broker, or the objects sent to the in-memory Kafka of the tester.
	private static @Nullable String text(@Nullable Object content) {
		if (content instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (content != null) ? content.toString() : null;
	}

}
