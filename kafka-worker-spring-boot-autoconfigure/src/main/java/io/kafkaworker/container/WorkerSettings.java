package io.kafkaworker.container;

import java.time.Duration;
import java.util.List;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.jspecify.annotations.Nullable;

/**
 * The resolved, validated settings of one worker: annotation, properties and defaults
 * merged.
 *
 * @param id the worker id
 * @param topics the topics to consume
 * @param groupId the consumer group
 * @param mode the ordering contract
 * @param delivery the delivery guarantee
 * @param concurrency the most handler calls at once
 * @param consumers the number of consumer threads
 * @param batchSize the most records per lane-batch call
 * @param autoStartup whether the worker starts with the context
 * @param maxBufferedRecords the most records held in memory, buffered or in flight
 * @param maxBufferedBytes the most estimated memory the held records may take
 * @param commitInterval the time between periodic commits
 * @param commitTimeout the longest time one commit may block a consumer thread
 * @param commitMetadataLimit the most characters of commit metadata listing the records
 * complete above each committed offset; 0 for none
 * @param revokeTimeout the longest time a revocation waits for in-flight records
 * @param failure what happens when the handler fails
 * @param exactlyOnceStore where exactly-once delivery keeps its proof (only used with
 * {@link Delivery#EXACTLY_ONCE})
 * @param reader how the worker reads without a consumer group, or null for a worker of a
 * consumer group
 * @param share for a worker that consumes through a share group named by its group id
 * instead of a consumer group, the configs it sets on that group; null for a worker of a
 * consumer group or a reader
 */
public record WorkerSettings(String id, List<String> topics, String groupId, Mode mode, Delivery delivery,
		int concurrency, int consumers, int batchSize, boolean autoStartup, int maxBufferedRecords,
		long maxBufferedBytes, Duration commitInterval, Duration commitTimeout, int commitMetadataLimit,
		Duration revokeTimeout, FailureSettings failure, ExactlyOnceStore exactlyOnceStore,
		@Nullable ReaderSettings reader, @Nullable ShareGroupSettings share) {

	/**
	 * Create settings, checking the invariants that the resolver guarantees.
	 */
	public WorkerSettings {
		if (mode == Mode.DEFAULT || delivery == Delivery.DEFAULT) {
			throw new IllegalArgumentException("mode and delivery must be resolved");
		}
		topics = List.copyOf(topics);
	}

	/**
	 * Return whether the worker consumes through a share group.
	 * @return true if it has share-group settings
	 */
	public boolean shareGroup() {
		return this.share != null;
	}

	/**
	 * Return whether the worker handles records in Kafka transactions.
	 * @return true for exactly-once delivery with the KAFKA store
	 */
	public boolean kafkaTransactions() {
		return this.delivery == Delivery.EXACTLY_ONCE && this.exactlyOnceStore == ExactlyOnceStore.KAFKA;
	}

	/**
	 * Return whether the worker records handled records in a database inbox.
	 * @return true for exactly-once delivery with the JDBC store
	 */
	public boolean jdbcInbox() {
		return this.delivery == Delivery.EXACTLY_ONCE && this.exactlyOnceStore == ExactlyOnceStore.JDBC;
	}

}
