package io.kafkaworker.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * Offset tools over the cluster Spring Boot's {@link KafkaAdmin} connects to: the low and
 * high watermarks and message counts of a topic's partitions, the committed offsets and
 * lag of any consumer group on a topic, and the offsets of a point in time. What kefka's
 * {@code QueryWatermarkOffsets}, {@code MessageCount} and {@code LagForTopicPartition}
 * give, for a whole topic at once.
 *
 * <p>
 * <b>Isolation.</b> Unless a method is given an {@link IsolationLevel}, high watermarks
 * are read {@code READ_UNCOMMITTED}: the log end, the Java consumer's default and what
 * Kafka's command-line tools show. {@code READ_COMMITTED} stops at the last stable
 * offset, before the first record of a transaction still open: the end a
 * {@code read_committed} consumer (an exactly-once worker) can reach.
 *
 * <p>
 * <b>Counts are upper bounds.</b> A count is {@code high - low}: compaction removes
 * records without moving the low watermark, and each commit or abort of a transaction
 * takes an offset for a marker no consumer receives. Lag is measured the same way.
 *
 * <p>
 * <b>Errors.</b> An unknown topic throws {@link UnknownTopicException}, an unknown group
 * {@link UnknownGroupException}; any other failure, and no answer within the admin
 * operation timeout ({@code spring.kafka.admin.operation-timeout}, Spring Kafka's default
 * 30 seconds) for the whole question, throws {@link KafkaOffsetsException} naming the
 * topic. Thread-safe; close it (the bean is closed with its context) to close its admin
 * client.
 */
public class KafkaOffsets implements AutoCloseable {

	private final SharedAdmin admin;

	private final Duration timeout;

	/**
	 * Create the offset tools with the connection settings and operation timeout of a
	 * {@link KafkaAdmin}.
	 * @param kafkaAdmin the admin of Spring Kafka, whose configuration the admin client
	 * of these tools is created from
	 */
	public KafkaOffsets(KafkaAdmin kafkaAdmin) {
		this.timeout = Duration.ofSeconds(kafkaAdmin.getOperationTimeout());
		this.admin = new SharedAdmin(kafkaAdmin.getConfigurationProperties(), this.timeout);
	}

	/**
	 * Return the watermarks of every partition of a topic, read uncommitted.
	 * @param topic the topic
	 * @return the watermarks and message counts
	 */
	public TopicOffsets watermarks(String topic) {
		return watermarks(topic, IsolationLevel.READ_UNCOMMITTED);
	}

	/**
	 * Return the watermarks of every partition of a topic.
	 * @param topic the topic
	 * @param isolation whether the high watermarks are the log ends
	 * ({@code READ_UNCOMMITTED}) or the last stable offsets ({@code READ_COMMITTED})
	 * @return the watermarks and message counts
	 */
	public TopicOffsets watermarks(String topic, IsolationLevel isolation) {
		return watermarks(query(topic), isolation);
	}

	/**
	 * Return the records of a topic, an upper bound: the sum over its partitions of high
	 * minus low watermark, read uncommitted.
	 * @param topic the topic
	 * @return the message count
	 */
	public long messageCount(String topic) {
		return watermarks(topic).messageCount();
	}

	/**
	 * Return a consumer group's committed offsets and lag on every partition of a topic,
	 * to the uncommitted high watermarks.
	 * @param group the consumer group
	 * @param topic the topic
	 * @return the committed offsets and lag
	 */
	public GroupLag lag(String group, String topic) {
		return lag(group, topic, IsolationLevel.READ_UNCOMMITTED);
	}

	/**
	 * Return a consumer group's committed offsets and lag on every partition of a topic.
	 * A partition the group committed nothing on has a null committed offset and lags by
	 * all its records (see {@link PartitionLag#lag()}).
	 * @param group the consumer group
	 * @param topic the topic
	 * @param isolation the isolation of the high watermarks lag is measured to
	 * @return the committed offsets and lag
	 * @throws UnknownGroupException if the group has no committed offset and the cluster
	 * does not describe it as existing
	 */
	public GroupLag lag(String group, String topic, IsolationLevel isolation) {
		OffsetQuery query = query(topic);
		TopicOffsets offsets = watermarks(query, isolation);
		Map<Integer, Long> committed = committedOffsets(query, group, offsets);
		if (committed.isEmpty() && !groupExists(query, group)) {
			throw new UnknownGroupException(group);
		}
		List<PartitionLag> partitions = offsets.partitions()
			.stream()
			.map((watermarks) -> PartitionLag.of(watermarks, committed.get(watermarks.partition())))
			.toList();
		return GroupLag.of(group, topic, isolation, partitions);
	}

	/**
	 * Return, for every partition of a topic, the offset of its first record with a
	 * timestamp at or after a point in time (Kafka's {@code ListOffsets} by timestamp,
	 * read uncommitted): where a consumer would seek to read from then on.
	 * @param topic the topic
	 * @param timestamp the point in time
	 * @return the offsets, null for a partition with no such record
	 */
	public TimestampOffsets offsetsForTimestamp(String topic, Instant timestamp) {
		OffsetQuery query = query(topic);
		Map<TopicPartition, ListOffsetsResultInfo> found = listOffsets(query, partitions(query),
				OffsetSpec.forTimestamp(timestamp.toEpochMilli()), IsolationLevel.READ_UNCOMMITTED);
		List<TimestampOffset> partitions = found.entrySet()
			.stream()
			.map((entry) -> timestampOffset(entry.getKey().partition(), entry.getValue()))
			.sorted(Comparator.comparingInt(TimestampOffset::partition))
			.toList();
		return new TimestampOffsets(query.topic(), timestamp, partitions);
	}

	/**
	 * Close the admin client.
	 */
	@Override
	public void close() {
		this.admin.close();
	}

	private OffsetQuery query(String topic) {
		return new OffsetQuery(this.admin.get(), topic, this.timeout);
	}

	private TopicOffsets watermarks(OffsetQuery query, IsolationLevel isolation) {
		List<TopicPartition> partitions = partitions(query);
		// Both requests travel at once; earliest is the log start whatever the isolation.
		KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> low = listOffsetsAsync(query, partitions,
				OffsetSpec.earliest(), isolation);
		KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> high = listOffsetsAsync(query, partitions,
				OffsetSpec.latest(), isolation);
		Map<TopicPartition, ListOffsetsResultInfo> lows = query.await(low, listOffsetsOf(query));
		Map<TopicPartition, ListOffsetsResultInfo> highs = query.await(high, listOffsetsOf(query));
		List<Watermarks> watermarks = partitions.stream()
			.map((partition) -> Watermarks.of(partition.partition(), offset(lows, partition), offset(highs, partition)))
			.toList();
		return TopicOffsets.of(query.topic(), isolation, watermarks);
	}

	private static List<TopicPartition> partitions(OffsetQuery query) {
		KafkaFuture<Map<String, TopicDescription>> descriptions = query.admin()
			.describeTopics(List.of(query.topic()), query.bounded(new DescribeTopicsOptions()))
			.allTopicNames();
		TopicDescription description = query.await(descriptions, "describe topic '" + query.topic() + "'")
			.get(query.topic());
		if (description == null) {
			throw new KafkaOffsetsException("The cluster did not describe topic '" + query.topic() + "'");
		}
		return description.partitions()
			.stream()
			.map((partition) -> new TopicPartition(query.topic(), partition.partition()))
			.sorted(Comparator.comparingInt(TopicPartition::partition))
			.toList();
	}

	private static Map<TopicPartition, ListOffsetsResultInfo> listOffsets(OffsetQuery query,
			List<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation) {
		return query.await(listOffsetsAsync(query, partitions, spec, isolation), listOffsetsOf(query));
	}

	private static KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> listOffsetsAsync(OffsetQuery query,
			List<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation) {
		Map<TopicPartition, OffsetSpec> request = partitions.stream()
			.collect(Collectors.toMap(Function.identity(), (partition) -> spec));
		return query.admin().listOffsets(request, query.bounded(new ListOffsetsOptions(isolation))).all();
	}

	private static long offset(Map<TopicPartition, ListOffsetsResultInfo> offsets, TopicPartition partition) {
		ListOffsetsResultInfo found = offsets.get(partition);
		if (found == null) {
			throw new KafkaOffsetsException("The cluster answered no offset for partition " + partition);
		}
		return found.offset();
	}

	private static String listOffsetsOf(OffsetQuery query) {
		return "list the offsets of topic '" + query.topic() + "'";
	}

	private static Map<Integer, Long> committedOffsets(OffsetQuery query, String group, TopicOffsets offsets) {
		List<TopicPartition> partitions = offsets.partitions()
			.stream()
			.map((watermarks) -> new TopicPartition(query.topic(), watermarks.partition()))
			.toList();
		ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(partitions);
		KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> future = query.admin()
			.listConsumerGroupOffsets(Map.of(group, spec), query.bounded(new ListConsumerGroupOffsetsOptions()))
			.partitionsToOffsetAndMetadata(group);
		Map<TopicPartition, OffsetAndMetadata> found = awaitGroup(query, future,
				"read the committed offsets of consumer group '" + group + "' on topic '" + query.topic() + "'");
		Map<Integer, Long> committed = new HashMap<>();
		if (found != null) {
			// A partition the group has no commit on maps to null (or is absent).
			found.forEach((partition, offset) -> {
				if (offset != null) {
					committed.put(partition.partition(), offset.offset());
				}
			});
		}
		return committed;
	}

	// A group that never committed and has no members: the classic coordinator describes
	// it as DEAD, the consumer-protocol one answers GROUP_ID_NOT_FOUND.
	private static boolean groupExists(OffsetQuery query, String group) {
		KafkaFuture<Map<String, ConsumerGroupDescription>> future = query.admin()
			.describeConsumerGroups(List.of(group), query.bounded(new DescribeConsumerGroupsOptions()))
			.all();
		Map<String, ConsumerGroupDescription> descriptions = awaitGroup(query, future,
				"describe consumer group '" + group + "'");
		ConsumerGroupDescription description = (descriptions != null) ? descriptions.get(group) : null;
		return description != null && description.groupState() != GroupState.DEAD;
	}

	private static <T> @Nullable T awaitGroup(OffsetQuery query, KafkaFuture<T> future, String what) {
		try {
			return query.await(future, what);
		}
		catch (KafkaOffsetsException ex) {
			if (ex.getCause() instanceof GroupIdNotFoundException) {
				return null;
			}
			throw ex;
		}
	}

	private static TimestampOffset timestampOffset(int partition, ListOffsetsResultInfo found) {
		// Kafka answers offset -1 when no record has a timestamp at or after the one
		// asked.
		if (found.offset() < 0) {
			return new TimestampOffset(partition, null, null);
		}
		return new TimestampOffset(partition, found.offset(), Instant.ofEpochMilli(found.timestamp()));
	}

}
