package io.kafkaworker.failure;

import java.time.Duration;

import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.error.WorkerRetryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The resolved failure handling of one worker.
 *
 * @param onFailure what to do once retries are exhausted
 * @param retry when and how long to retry in place
 * @param freezeScope what a freeze stops
 * @param freezeRetryAfter re-attempt a frozen record after this delay, or null to wait
 * for an operator
 * @param maxHeldRecords with KEY scope, records of a partition that may wait behind
 * frozen keys before the partition is paused
 * @param deadLetterTopic the dead-letter topic, or null for the record's topic followed
 * by {@code deadLetterTopicSuffix}
 * @param deadLetterTopicSuffix what follows the record's topic in the name of its
 * dead-letter topic when {@code deadLetterTopic} is null
 * @param createDeadLetterTopic whether to create a missing dead-letter topic
 * @param deadLetterSendTimeout the longest wait for a dead letter's acknowledgment
 */
public record FailureSettings(FailurePolicy onFailure, WorkerRetryPolicy retry, FreezeScope freezeScope,
		@Nullable Duration freezeRetryAfter, int maxHeldRecords, @Nullable String deadLetterTopic,
		String deadLetterTopicSuffix, boolean createDeadLetterTopic, Duration deadLetterSendTimeout) {

	/**
	 * Return the dead-letter topic of a record's topic.
	 * @param topic the record's topic
	 * @return the configured topic, or the record's topic followed by the suffix
	 * ({@code orders-dlt} by default, as Spring Kafka names it)
	 */
	public String deadLetterTopicFor(String topic) {
		return (this.deadLetterTopic != null) ? this.deadLetterTopic : topic + this.deadLetterTopicSuffix;
	}

}
