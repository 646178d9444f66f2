package io.kafkaworker.test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.jspecify.annotations.Nullable;

/**
 * A consumer of the {@link InMemoryKafka}: subscribes through a group, owns the
 * partitions the group deals it (the rebalance listener is told on the consumer's own
 * thread, during a poll, as with a real consumer), fetches from its positions at most
 * {@code maxPollRecords} records per poll, honours pause, seek and wakeup, and commits to
 * the group. What it does not model (fetch sizes, sessions, heartbeats) the engine never
 * relies on for its semantics.
 */
final class InMemoryConsumer implements Consumer<Object, Object> {

	private static final long WAIT_STEP_NANOS = Duration.ofMillis(20).toNanos();

	private static final Node[] NO_NODES = new Node[0];

	private final InMemoryKafka kafka;

	private final String group;

	private final int maxPollRecords;

	private final boolean latest;

	private final AtomicBoolean wakeup = new AtomicBoolean();

	private final Set<String> subscription = new LinkedHashSet<>();

	private ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
		}

	};

	private final Map<TopicPartition, Long> positions = new LinkedHashMap<>();

	private final Set<TopicPartition> paused = new HashSet<>();

	private int generation = -1;

	private volatile boolean closed;

	InMemoryConsumer(InMemoryKafka kafka, String group, int maxPollRecords, boolean latest) {
		this.kafka = kafka;
		this.group = group;
		this.maxPollRecords = maxPollRecords;
		this.latest = latest;
	}

	@Override
	public synchronized Set<TopicPartition> assignment() {
		return new LinkedHashSet<>(this.positions.keySet());
	}

	@Override
	public synchronized Set<String> subscription() {
		return new LinkedHashSet<>(this.subscription);
	}

	@Override
	public void subscribe(Collection<String> topics) {
		subscribe(topics, this.listener);
	}

	@Override
	public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
		this.subscription.clear();
		this.subscription.addAll(topics);
		this.listener = listener;
		this.kafka.join(this.group, this, topics);
	}

	@Override
	public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
		subscribe(this.kafka.topicNames().stream().filter((topic) -> pattern.matcher(topic).matches()).toList(),
				listener);
	}

	@Override
	public void subscribe(Pattern pattern) {
		subscribe(pattern, this.listener);
	}

	@Override
	public void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener) {
		throw unsupported("subscribe(SubscriptionPattern)");
	}

	@Override
	public void subscribe(SubscriptionPattern pattern) {
		throw unsupported("subscribe(SubscriptionPattern)");
	}

	// Outside any group, as the readers of group tables and views are: from the start.
	@Override
	public synchronized void assign(Collection<TopicPartition> partitions) {
		if (!this.subscription.isEmpty()) {
			throw new IllegalStateException("Subscription to topics and manual assignment are mutually exclusive");
		}
		this.positions.keySet().retainAll(partitions);
		partitions.forEach((partition) -> this.positions.putIfAbsent(partition, 0L));
	}

	@Override
	public synchronized void unsubscribe() {
		this.kafka.leave(this.group, this);
		this.subscription.clear();
		this.positions.clear();
		this.paused.clear();
	}

	@Override
	public ConsumerRecords<Object, Object> poll(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (this.wakeup.getAndSet(false)) {
				throw new WakeupException();
			}
			ConsumerRecords<Object, Object> records = fetch();
			long left = deadline - System.nanoTime();
			if (!records.isEmpty() || left <= 0) {
				return records;
			}
			try {
				this.kafka.awaitChange(Math.min(left, WAIT_STEP_NANOS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new org.apache.kafka.common.errors.InterruptException(ex);
			}
		}
	}

	private synchronized ConsumerRecords<Object, Object> fetch() {
		rebalanceIfNeeded();
		Map<TopicPartition, List<ConsumerRecord<Object, Object>>> fetched = new LinkedHashMap<>();
		Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
		int room = this.maxPollRecords;
		for (Map.Entry<TopicPartition, Long> position : this.positions.entrySet()) {
			if (room == 0 || this.paused.contains(position.getKey())) {
				continue;
			}
			List<ConsumerRecord<Object, Object>> records = this.kafka.read(position.getKey(), position.getValue(),
					room);
			if (!records.isEmpty()) {
				long nextOffset = records.get(records.size() - 1).offset() + 1;
				fetched.put(position.getKey(), records);
				next.put(position.getKey(), new OffsetAndMetadata(nextOffset));
				position.setValue(nextOffset);
				room -= records.size();
			}
		}
		return fetched.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(fetched, next);
	}

	// As the group's coordinator would, once its membership changed: revoke what moved
	// away (only those partitions, or all after an eager rebalance the test asked for),
	// then assign what moved here, starting each at the group's committed offset or,
	// without one, where auto.offset.reset says.
	private void rebalanceIfNeeded() {
		int current = this.kafka.generation(this.group);
		if (this.subscription.isEmpty() || current == this.generation) {
			return;
		}
		this.generation = current;
		Set<TopicPartition> target = this.kafka.assignment(this.group, this);
		Set<TopicPartition> revoked = new LinkedHashSet<>(this.positions.keySet());
		if (!this.kafka.isEager(this.group, current)) {
			revoked.removeAll(target);
		}
		if (!revoked.isEmpty()) {
			this.listener.onPartitionsRevoked(revoked);
			revoked.forEach(this.positions::remove);
			this.paused.removeAll(revoked);
		}
		Set<TopicPartition> added = new LinkedHashSet<>(target);
		added.removeAll(this.positions.keySet());
		for (TopicPartition partition : added) {
			this.positions.put(partition, startOffset(partition));
		}
		this.listener.onPartitionsAssigned(added);
	}

	private long startOffset(TopicPartition partition) {
		OffsetAndMetadata committed = this.kafka.committed(this.group, partition);
		if (committed != null) {
			return committed.offset();
		}
		return this.latest ? this.kafka.endOffset(partition) : 0;
	}

	@Override
	public void commitSync() {
		commitSync(currentPositions());
	}

	@Override
	public void commitSync(Duration timeout) {
		commitSync();
	}

	@Override
	public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
		this.kafka.commit(this.group, offsets);
	}

	@Override
	public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
		commitSync(offsets);
	}

	@Override
	public void commitAsync() {
		commitAsync(null);
	}

	@Override
	public void commitAsync(@Nullable OffsetCommitCallback callback) {
		commitAsync(currentPositions(), callback);
	}

	@Override
	public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, @Nullable OffsetCommitCallback callback) {
		this.kafka.commit(this.group, offsets);
		if (callback != null) {
			callback.onComplete(offsets, null);
		}
	}

	private synchronized Map<TopicPartition, OffsetAndMetadata> currentPositions() {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		this.positions.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
		return offsets;
	}

	@Override
	public void registerMetricForSubscription(KafkaMetric metric) {
	}

	@Override
	public void unregisterMetricFromSubscription(KafkaMetric metric) {
	}

	@Override
	public synchronized void seek(TopicPartition partition, long offset) {
		if (!this.positions.containsKey(partition)) {
			throw new IllegalStateException("No current assignment for partition " + partition);
		}
		this.positions.put(partition, offset);
	}

	@Override
	public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
		seek(partition, offsetAndMetadata.offset());
	}

	@Override
	public synchronized void seekToBeginning(Collection<TopicPartition> partitions) {
		partitions.forEach((partition) -> seek(partition, 0));
	}

	@Override
	public synchronized void seekToEnd(Collection<TopicPartition> partitions) {
		partitions.forEach((partition) -> seek(partition, this.kafka.endOffset(partition)));
	}

	@Override
	public synchronized long position(TopicPartition partition) {
		Long position = this.positions.get(partition);
		if (position == null) {
			throw new IllegalStateException(
					"You can only check the position for partitions assigned to this " + "consumer, not " + partition);
		}
		return position;
	}

	@Override
	public long position(TopicPartition partition, Duration timeout) {
		return position(partition);
	}

	@Override
	public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			offsets.put(partition, this.kafka.committed(this.group, partition));
		}
		return offsets;
	}

	@Override
	public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
		return committed(partitions);
	}

	@Override
	public Uuid clientInstanceId(Duration timeout) {
		throw new IllegalStateException("Telemetry is not enabled for the in-memory consumer");
	}

	@Override
	public Map<MetricName, ? extends Metric> metrics() {
		return Map.of();
	}

	@Override
	public List<PartitionInfo> partitionsFor(String topic) {
		int count = this.kafka.partitions(topic);
		return java.util.stream.IntStream.range(0, count)
			.mapToObj((partition) -> new PartitionInfo(topic, partition, null, NO_NODES, NO_NODES))
			.toList();
	}

	@Override
	public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
		return partitionsFor(topic);
	}

	@Override
	public Map<String, List<PartitionInfo>> listTopics() {
		Map<String, List<PartitionInfo>> topics = new LinkedHashMap<>();
		this.kafka.topicNames().forEach((topic) -> topics.put(topic, partitionsFor(topic)));
		return topics;
	}

	@Override
	public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
		return listTopics();
	}

	@Override
	public synchronized Set<TopicPartition> paused() {
		return new LinkedHashSet<>(this.paused);
	}

	@Override
	public synchronized void pause(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			if (this.positions.containsKey(partition)) {
				this.paused.add(partition);
			}
		}
	}

	@Override
	public synchronized void resume(Collection<TopicPartition> partitions) {
		this.paused.removeAll(partitions);
	}

	@Override
	public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
		Map<TopicPartition, OffsetAndTimestamp> offsets = new HashMap<>();
		timestamps.forEach((partition, timestamp) -> offsets.put(partition,
				this.kafka.read(partition, 0, Integer.MAX_VALUE)
					.stream()
					.filter((record) -> record.timestamp() >= timestamp)
					.findFirst()
					.map((record) -> new OffsetAndTimestamp(record.offset(), record.timestamp()))
					.orElse(null)));
		return offsets;
	}

	@Override
	public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
			Duration timeout) {
		return offsetsForTimes(timestamps);
	}

	@Override
	public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		partitions.forEach((partition) -> offsets.put(partition, 0L));
		return offsets;
	}

	@Override
	public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
		return beginningOffsets(partitions);
	}

	@Override
	public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		partitions.forEach((partition) -> offsets.put(partition, this.kafka.endOffset(partition)));
		return offsets;
	}

	@Override
	public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
		return endOffsets(partitions);
	}

	@Override
	public synchronized OptionalLong currentLag(TopicPartition partition) {
		Long position = this.positions.get(partition);
		return (position != null) ? OptionalLong.of(this.kafka.endOffset(partition) - position) : OptionalLong.empty();
	}

	@Override
	public synchronized ConsumerGroupMetadata groupMetadata() {
		return new ConsumerGroupMetadata(this.group, Math.max(this.generation, 0),
				"in-memory-" + System.identityHashCode(this), Optional.empty());
	}

	@Override
	public void enforceRebalance() {
	}

	@Override
	public void enforceRebalance(String reason) {
	}

	@Override
	public void close() {
		close(CloseOptions.timeout(Duration.ofSeconds(30)));
	}

	@Override
	public void close(Duration timeout) {
		close(CloseOptions.timeout(timeout));
	}

	// As a real consumer leaving its group: the listener hears that its partitions are
	// revoked, then the group deals them to the other members.
	@Override
	public synchronized void close(CloseOptions options) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.subscription.isEmpty()) {
			this.positions.clear();
			return;
		}
		if (!this.positions.isEmpty()) {
			this.listener.onPartitionsRevoked(new LinkedHashSet<>(this.positions.keySet()));
		}
		this.positions.clear();
		this.kafka.leave(this.group, this);
	}

	@Override
	public void wakeup() {
		this.wakeup.set(true);
		this.kafka.signal();
	}

	private static UnsupportedOperationException unsupported(String what) {
		return new UnsupportedOperationException(
				"The in-memory consumer of kafka-worker-test does not support " + what);
	}

}
