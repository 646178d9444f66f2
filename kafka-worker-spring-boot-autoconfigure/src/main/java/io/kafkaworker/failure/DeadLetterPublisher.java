package io.kafkaworker.failure;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Publishes failed records to their dead-letter topic with Spring Kafka's
 * {@link DeadLetterPublishingRecoverer}, so dead letters carry Spring's standard headers:
 * original topic, partition, offset, timestamp and consumer group, the exception's class,
 * message, cause and stack trace. It adds the attempt count as
 * {@link KafkaHeaders#DELIVERY_ATTEMPT}. A record that could not be deserialized is
 * published with its original bytes.
 *
 * <p>
 * Publishing is synchronous: a record counts as dead-lettered only once the broker
 * acknowledged it, so a failed publication leaves the record unfinished rather than lost.
 */
public final class DeadLetterPublisher {

	private static final Log logger = LogFactory.getLog(DeadLetterPublisher.class);

	private final FailureSettings settings;

	private final String groupId;

	private final KafkaOperations<Object, Object> template;

	private final @Nullable KafkaAdmin admin;

	private final Set<String> checkedTopics = ConcurrentHashMap.newKeySet();

	public DeadLetterPublisher(FailureSettings settings, String groupId, KafkaOperations<Object, Object> template,
			@Nullable KafkaAdmin admin) {
		this.settings = settings;
		this.groupId = groupId;
		this.template = template;
		this.admin = admin;
	}

	/**
	 * Publish a record to its dead-letter topic and wait for the acknowledgment.
	 * @param record the failed record
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @throws RuntimeException if the record could not be published
	 */
	public void publish(ConsumerRecord<?, ?> record, Throwable failure, int attempts) {
		String topic = this.settings.deadLetterTopicFor(record.topic());
		ensureTopic(topic);
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(this.template,
				(failed, exception) -> new TopicPartition(topic, -1));
		recoverer.setFailIfSendResultIsError(true);
		recoverer.setWaitForSendResultTimeout(this.settings.deadLetterSendTimeout());
		recoverer.setHeadersFunction((failed, exception) -> {
			RecordHeaders headers = new RecordHeaders();
			headers.add(KafkaHeaders.DELIVERY_ATTEMPT, ByteBuffer.allocate(Integer.BYTES).putInt(attempts).array());
			headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, this.groupId.getBytes());
			return headers;
		});
		Exception exception = (failure instanceof Exception ex) ? ex : new IllegalStateException(failure);
		recoverer.accept(record, null, exception);
	}

	private void ensureTopic(String topic) {
		KafkaAdmin kafkaAdmin = this.admin;
		if (kafkaAdmin == null || !this.settings.createDeadLetterTopic() || this.checkedTopics.contains(topic)) {
			return;
		}
		try {
			Map<String, ?> existing = kafkaAdmin.describeTopics(topic);
			if (existing.isEmpty()) {
				createTopic(kafkaAdmin, topic);
			}
		}
		catch (RuntimeException ex) {
			createTopic(kafkaAdmin, topic);
		}
		this.checkedTopics.add(topic);
	}

	private void createTopic(KafkaAdmin kafkaAdmin, String topic) {
		try {
			kafkaAdmin.createOrModifyTopics(new NewTopic(topic, Optional.empty(), Optional.empty()));
			logger
				.info("Created dead-letter topic '" + topic + "' with the broker's default partitions and replication");
		}
		catch (RuntimeException ex) {
			logger.warn("Could not create dead-letter topic '" + topic + "'; publishing to it anyway: " + ex);
		}
	}

}
