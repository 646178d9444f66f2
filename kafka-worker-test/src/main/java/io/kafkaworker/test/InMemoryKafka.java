package io.kafkaworker.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * The broker of the tester: topics as lists of records in memory, the committed offsets
 * of each consumer group, and the members of each group with the partitions each owns.
 * <p>
 * Written by hand because no kafka-clients or Spring Kafka type keeps a log that several
 * consumers read from their own positions: {@code MockConsumer} hands out each added
 * record once, so a seek back, a restart from the committed offset or a second consumer
 * would not see the records again. Records are kept as objects, so a worker receives
 * exactly the key and value a test sent, without serializers.
 * <p>
 * Every method is synchronized on this object; {@link #awaitChange} waits on it until
 * something is appended, committed or a group changes.
 */
final class InMemoryKafka {

	private final int defaultPartitions;

	private final Map<String, List<List<ConsumerRecord<Object, Object>>>> topics = new LinkedHashMap<>();

	private final Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();

	// Members of each group, in the order they joined, with the topics each subscribes.
	private final Map<String, Map<InMemoryConsumer, Set<String>>> groups = new HashMap<>();

	private final Map<String, Integer> generations = new HashMap<>();

	// The generation of each group whose rebalance revokes every partition.
	private final Map<String, Integer> eagerGenerations = new HashMap<>();

	private long stickyPartition;

	InMemoryKafka(int defaultPartitions) {
		this.defaultPartitions = defaultPartitions;
	}

	/**
	 * Create a topic unless it exists.
	 * @param topic the name
	 * @param partitions its partitions
	 */
	synchronized void createTopic(String topic, int partitions) {
		logs(topic, partitions);
	}

	private List<List<ConsumerRecord<Object, Object>>> logs(String topic, int partitions) {
		if (partitions < 1) {
			throw new IllegalArgumentException("A topic needs at least one partition, not " + partitions);
		}
		return this.topics.computeIfAbsent(topic, (name) -> {
			List<List<ConsumerRecord<Object, Object>>> logs = new ArrayList<>();
			for (int i = 0; i < partitions; i++) {
				logs.add(new ArrayList<>());
			}
			notifyAll();
			return logs;
		});
	}

	/**
	 * Return a topic's partitions, creating it with the default count when it is new (as
	 * a broker that creates topics automatically does).
	 * @param topic the topic
	 * @return how many partitions it has
	 */
	synchronized int partitions(String topic) {
		return logs(topic, this.defaultPartitions).size();
	}

	synchronized Set<String> topicNames() {
		return new LinkedHashSet<>(this.topics.keySet());
	}

	/**
	 * Append a record. Without a partition, a record with a key goes where Kafka's
	 * default partitioner puts its string form (murmur2 of its UTF-8 bytes), and one
	 * without a key to the partitions in turn.
	 * @param topic the topic
	 * @param partition the partition, or null to choose one
	 * @param key the key, or null
	 * @param value the value, or null
	 * @param headers the headers, or null
	 * @param timestamp the timestamp, or null for now
	 * @return the record as stored, with its partition and offset
	 */
	synchronized ConsumerRecord<Object, Object> append(String topic, @Nullable Integer partition, @Nullable Object key,
			@Nullable Object value, @Nullable Headers headers, @Nullable Long timestamp) {
		int count = partitions(topic);
		int target = (partition != null) ? partition : partitionFor(key, count);
		if (target < 0 || target >= count) {
			throw new IllegalArgumentException(
					"Topic '" + topic + "' has " + count + " partitions; there is no partition " + target);
		}
		List<ConsumerRecord<Object, Object>> log = logs(topic, this.defaultPartitions).get(target);
		RecordHeaders copy = new RecordHeaders((headers != null) ? headers.toArray() : new RecordHeaders().toArray());
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(topic, target, log.size(),
				(timestamp != null) ? timestamp : System.currentTimeMillis(), TimestampType.CREATE_TIME,
				ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, key, value, copy, Optional.empty());
		log.add(record);
		notifyAll();
		return record;
	}

	private int partitionFor(@Nullable Object key, int count) {
		if (key == null) {
			return (int) (this.stickyPartition++ % count);
		}
		byte[] bytes = (key instanceof byte[] raw) ? raw : key.toString().getBytes(StandardCharsets.UTF_8);
		return Utils.toPositive(Utils.murmur2(bytes)) % count;
	}

	synchronized List<ConsumerRecord<Object, Object>> read(TopicPartition partition, long from, int max) {
		List<ConsumerRecord<Object, Object>> log = log(partition);
		int start = (int) Math.min(Math.max(from, 0), log.size());
		int end = (int) Math.min(log.size(), (long) start + max);
		return new ArrayList<>(log.subList(start, end));
	}

	synchronized List<ConsumerRecord<Object, Object>> records(String topic) {
		List<ConsumerRecord<Object, Object>> all = new ArrayList<>();
		for (List<ConsumerRecord<Object, Object>> log : this.topics.getOrDefault(topic, List.of())) {
			all.addAll(log);
		}
		all.sort(Comparator.comparingLong(ConsumerRecord<Object, Object>::timestamp)
			.thenComparingInt(ConsumerRecord::partition)
			.thenComparingLong(ConsumerRecord::offset));
		return all;
	}

	synchronized long endOffset(TopicPartition partition) {
		return log(partition).size();
	}

	private List<ConsumerRecord<Object, Object>> log(TopicPartition partition) {
		int count = partitions(partition.topic());
		if (partition.partition() < 0 || partition.partition() >= count) {
			throw new IllegalArgumentException("Topic '" + partition.topic() + "' has " + count
					+ " partitions; there is no partition " + partition.partition());
		}
		return logs(partition.topic(), this.defaultPartitions).get(partition.partition());
	}

	synchronized void commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
		this.committed.computeIfAbsent(group, (key) -> new HashMap<>()).putAll(offsets);
		notifyAll();
	}

	synchronized @Nullable OffsetAndMetadata committed(String group, TopicPartition partition) {
		return this.committed.getOrDefault(group, Map.of()).get(partition);
	}

	synchronized Map<TopicPartition, Long> committedOffsets(String group) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.committed.getOrDefault(group, Map.of())
			.forEach((partition, offset) -> offsets.put(partition, offset.offset()));
		return offsets;
	}

	synchronized void join(String group, InMemoryConsumer member, Collection<String> topics) {
		topics.forEach(this::partitions);
		this.groups.computeIfAbsent(group, (key) -> new LinkedHashMap<>()).put(member, new LinkedHashSet<>(topics));
		this.generations.merge(group, 1, Integer::sum);
		notifyAll();
	}

	synchronized void leave(String group, InMemoryConsumer member) {
		Map<InMemoryConsumer, Set<String>> members = this.groups.get(group);
		if (members != null && members.remove(member) != null) {
			this.generations.merge(group, 1, Integer::sum);
			notifyAll();
		}
	}

	/**
	 * Make every group revoke all of its members' partitions and assign them again, as an
	 * eager rebalance does.
	 */
	synchronized void rebalanceAll() {
		for (String group : this.groups.keySet()) {
			this.eagerGenerations.put(group, this.generations.merge(group, 1, Integer::sum));
		}
		notifyAll();
	}

	synchronized boolean isEager(String group, int generation) {
		return this.eagerGenerations.getOrDefault(group, -1) == generation;
	}

	synchronized int generation(String group) {
		return this.generations.getOrDefault(group, 0);
	}

	/**
	 * Return the partitions a member owns: each subscribed topic's partitions are dealt
	 * in turn to the members that subscribe to it, in the order they joined.
	 * @param group the group
	 * @param member the member
	 * @return the partitions it owns
	 */
	synchronized Set<TopicPartition> assignment(String group, InMemoryConsumer member) {
		Map<InMemoryConsumer, Set<String>> members = this.groups.getOrDefault(group, Map.of());
		Set<String> subscribed = members.get(member);
		Set<TopicPartition> owned = new LinkedHashSet<>();
		if (subscribed == null) {
			return owned;
		}
		for (String topic : subscribed) {
			List<InMemoryConsumer> readers = members.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().contains(topic))
				.map(Map.Entry::getKey)
				.toList();
			int index = readers.indexOf(member);
			for (int partition = index; partition < partitions(topic); partition += readers.size()) {
				owned.add(new TopicPartition(topic, partition));
			}
		}
		return owned;
	}

	/**
	 * Wait until something changes, at most for the given time.
	 * @param nanos the longest wait
	 */
	synchronized void awaitChange(long nanos) throws InterruptedException {
		TimeUnit.NANOSECONDS.timedWait(this, nanos);
	}

	synchronized void signal() {
		notifyAll();
	}

}
