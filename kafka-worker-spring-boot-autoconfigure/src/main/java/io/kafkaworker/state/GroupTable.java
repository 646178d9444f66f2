package io.kafkaworker.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * The group table of one KEY-mode worker: the compacted topic that holds one row per key,
 * partitioned as the worker's input (the row of a record's key lives in the table
 * partition with the record's partition number), and its local store.
 * <p>
 * On assignment the consumer thread restores each assigned partition from the table topic
 * (read_committed) before any of its records run; on revocation the partition's rows are
 * dropped. A handler call gets a {@link TableRow} of its record's key; when it returns
 * normally the change goes through the worker's {@link TableWrites}.
 */
public final class GroupTable {

	private static final Log logger = LogFactory.getLog(GroupTable.class);

	private static final Duration POLL = Duration.ofMillis(200);

	private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(10);

	private static final Runnable NOTHING = () -> {
	};

	private final String workerId;

	private final String topic;

	private final TableStore store;

	private final Serializer<Object> keySerializer;

	private final Serializer<Object> valueSerializer;

	private final Deserializer<Object> valueDeserializer;

	private final TableWrites writes;

	private final Function<Properties, Consumer<byte[], byte[]>> restoreConsumers;

	private final Runnable prepare;

	// The worker's input topics: a table partition serves the partition of that number of
	// each of them, which must be assigned together.
	private final List<String> inputs;

	// Null for one input topic, whose KEY lanes already give each row one writer.
	private final @Nullable RowLocks rowLocks;

	// The input partitions assigned now. Consumer threads.
	private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean prepared = new AtomicBoolean();

	// The partitions being restored now, for snapshots taken on other threads.
	private final Map<Integer, RestoreProgress> restoring = new ConcurrentSkipListMap<>();

	/**
	 * Create a group table.
	 * @param workerId the worker
	 * @param topic the table topic
	 * @param store the local store
	 * @param keySerializer serializes the records' keys as the table's keys
	 * @param valueSerializer serializes row values
	 * @param valueDeserializer deserializes row values
	 * @param writes how changes reach the table, by delivery guarantee
	 * @param restoreConsumers creates a consumer of bytes with the given overrides, to
	 * restore partitions
	 * @param prepare makes sure the table topic exists and matches the input, before the
	 * first restore
	 * @param inputs the worker's topics
	 */
	public GroupTable(String workerId, String topic, TableStore store, Serializer<Object> keySerializer,
			Serializer<Object> valueSerializer, Deserializer<Object> valueDeserializer, TableWrites writes,
			Function<Properties, Consumer<byte[], byte[]>> restoreConsumers, Runnable prepare, List<String> inputs) {
		this.workerId = workerId;
		this.topic = topic;
		this.store = store;
		this.keySerializer = keySerializer;
		this.valueSerializer = valueSerializer;
		this.valueDeserializer = valueDeserializer;
		this.writes = writes;
		this.restoreConsumers = restoreConsumers;
		this.prepare = prepare;
		this.inputs = List.copyOf(inputs);
		this.rowLocks = (inputs.size() > 1) ? new RowLocks() : null;
	}

	/**
	 * Return the table topic.
	 * @return the topic
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * Return the local store.
	 * @return the store
	 */
	public TableStore store() {
		return this.store;
	}

	/**
	 * Open the row of a record's key, for one handler call.
	 * @param record the record being handled
	 * @return the row; {@link Row#flush()} writes its change
	 */
	public Row row(ConsumerRecord<?, ?> record) {
		byte[] key = this.keySerializer.serialize(this.topic, record.key());
		if (key == null) {
			throw new IllegalStateException("Record " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " has no key, so it has no row in group table '" + this.topic + "'");
		}
		Bytes serializedKey = Bytes.wrap(key);
		RowLocks locks = this.rowLocks;
		Runnable unlock = (locks != null) ? locks.lock(record.partition(), serializedKey) : NOTHING;
		return new Row(record.key(), record.partition(), serializedKey, unlock);
	}

	/**
	 * Restore the table partitions of newly assigned input partitions, before their
	 * records run: from a partition's checkpoint when the store kept one that the table
	 * still has, otherwise from the beginning of the table. Consumer thread.
	 * @param assigned the input partitions
	 * @return how many table records were read
	 */
	public long restore(Collection<TopicPartition> assigned) {
		Set<Integer> partitions = new LinkedHashSet<>();
		assigned.forEach((partition) -> partitions.add(partition.partition()));
		if (partitions.isEmpty()) {
			return 0;
		}
		this.owned.addAll(assigned);
		checkAssignedTogether();
		if (!this.prepared.get()) {
			this.prepare.run();
			this.prepared.set(true);
		}
		List<TopicPartition> tablePartitions = new ArrayList<>();
		partitions.forEach((partition) -> tablePartitions.add(new TopicPartition(this.topic, partition)));
		long started = System.nanoTime();
		long rows = 0;
		Map<Integer, Long> tails = new TreeMap<>();
		try (Consumer<byte[], byte[]> consumer = this.restoreConsumers.apply(readCommitted())) {
			consumer.assign(tablePartitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(tablePartitions);
			Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(tablePartitions);
			for (TopicPartition tablePartition : tablePartitions) {
				int partition = tablePartition.partition();
				long checkpoint = this.store.checkpoint(partition);
				// The rows are about to change: a crash from now on must not leave a
				// checkpoint that they no longer match.
				this.store.checkpoint(partition, -1);
				if (checkpoint >= beginnings.getOrDefault(tablePartition, 0L)
						&& checkpoint <= ends.getOrDefault(tablePartition, 0L)) {
					tails.put(partition, checkpoint);
					consumer.seek(tablePartition, checkpoint);
				}
				else {
					this.store.clear(partition);
					consumer.seek(tablePartition, beginnings.getOrDefault(tablePartition, 0L));
				}
			}
			noteProgress(consumer, ends);
			while (!reachedEnds(consumer, ends)) {
				ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
				for (ConsumerRecord<byte[], byte[]> record : records) {
					apply(record);
					rows++;
				}
				noteProgress(consumer, ends);
			}
		}
		finally {
			partitions.forEach(this.restoring::remove);
		}
		logger
			.info("Worker '" + this.workerId + "' restored partitions " + partitions + " of group table '" + this.topic
					+ "' from " + rows + " records in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
					+ " ms" + (tails.isEmpty() ? "" : " (from checkpoints " + tails + ")"));
		return rows;
	}

	// A table partition has one owner only when the partitions of one number of every
	// input topic are assigned to one consumer: RangeAssignor does that for topics with
	// one partition count, sticky and uniform assignors do not.
	private void checkAssignedTogether() {
		if (this.inputs.size() < 2) {
			return;
		}
		Set<Integer> numbers = new TreeSet<>();
		this.owned.forEach((partition) -> numbers.add(partition.partition()));
		List<TopicPartition> missing = new ArrayList<>();
		for (int number : numbers) {
			for (String input : this.inputs) {
				TopicPartition partition = new TopicPartition(input, number);
				if (!this.owned.contains(partition)) {
					missing.add(partition);
				}
			}
		}
		if (!missing.isEmpty()) {
			throw new IllegalStateException("Worker '" + this.workerId + "' owns the rows of group table '" + this.topic
					+ "' partitions " + numbers + " but was not assigned " + missing
					+ ": a table partition needs the partition of its number of every input topic (" + this.inputs
					+ ") in one consumer. Assign with "
					+ "spring.kafka.consumer.properties.partition.assignment.strategy="
					+ "org.apache.kafka.clients.consumer.RangeAssignor (classic protocol) or "
					+ "group.remote.assignor=range (consumer protocol)");
		}
	}

	private void noteProgress(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
		ends.forEach((tablePartition, end) -> this.restoring.put(tablePartition.partition(),
				new RestoreProgress(tablePartition.partition(), consumer.position(tablePartition), end)));
	}

	/**
	 * Return the progress of the partitions being restored now. Safe from any thread.
	 * @return the progress, by partition number
	 */
	public List<RestoreProgress> restoring() {
		return List.copyOf(this.restoring.values());
	}

	private static Properties readCommitted() {
		Properties overrides = new Properties();
		overrides.put("isolation.level", "read_committed");
		overrides.put("auto.offset.reset", "earliest");
		return overrides;
	}

	/**
	 * Return whether a reader of a table has read every partition up to the end offset it
	 * had when the reader started. Shared by restores and views.
	 * @param consumer the reader
	 * @param ends the end offsets, by partition
	 * @return true once every position reached its end offset
	 */
	static boolean reachedEnds(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey()) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

	private void apply(ConsumerRecord<byte[], byte[]> record) {
		if (record.key() == null) {
			return;
		}
		Bytes key = Bytes.wrap(record.key());
		if (record.value() == null) {
			this.store.delete(record.partition(), key);
		}
		else {
			this.store.put(record.partition(), key, record.value());
		}
	}

	/**
	 * Close the local store, when the worker closes.
	 */
	public void close() {
		this.store.close();
	}

	/**
	 * Let go of the rows of input partitions the worker no longer owns. Consumer thread.
	 * A store that keeps checkpoints keeps the rows of settled partitions with the
	 * table's end offset as their checkpoint; every other partition's rows are dropped.
	 * @param released the input partitions
	 * @param settled those of them whose rows equal the table's fold: revoked (not lost)
	 * with no record left in flight, so that no change of theirs is still on its way
	 */
	public void release(Collection<TopicPartition> released, Collection<TopicPartition> settled) {
		this.owned.removeAll(released);
		Map<TopicPartition, Long> ends = Map.of();
		if (this.store.keepsCheckpoints() && !settled.isEmpty()) {
			ends = endOffsets(settled);
		}
		for (TopicPartition partition : released) {
			Long end = ends.get(new TopicPartition(this.topic, partition.partition()));
			if (end != null) {
				this.store.checkpoint(partition.partition(), end);
			}
			else {
				this.store.clear(partition.partition());
			}
		}
	}

	// Where a read_committed reader of the table ends now: every change of a settled
	// partition was acknowledged or committed (a revocation waits for both), so its rows
	// reflect the table up to there. None, and so no checkpoint, when the table cannot
	// answer: the partitions are then restored from the beginning.
	private Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> settled) {
		List<TopicPartition> tablePartitions = new ArrayList<>();
		settled.forEach((partition) -> tablePartitions.add(new TopicPartition(this.topic, partition.partition())));
		try (Consumer<byte[], byte[]> consumer = this.restoreConsumers.apply(readCommitted())) {
			return consumer.endOffsets(tablePartitions, CHECKPOINT_TIMEOUT);
		}
		catch (RuntimeException ex) {
			logger.warn("Worker '" + this.workerId + "' could not read the end offsets of group table '" + this.topic
					+ "' (" + ex + "); partitions " + settled + " will be restored from the beginning");
			return Map.of();
		}
	}

	/**
	 * The progress of a table partition being restored.
	 *
	 * @param partition the partition number
	 * @param position the next table offset the restore reads
	 * @param endOffset the table offset the restore reads up to
	 */
	public record RestoreProgress(int partition, long position, long endOffset) {

	}

	/**
	 * The row of one key during one handler call.
	 */
	public final class Row implements TableRow<Object> {

		private final @Nullable Object key;

		private final int partition;

		private final Bytes serializedKey;

		private boolean changed;

		private @Nullable Object value;

		private boolean loaded;

		private final Runnable unlock;

		Row(@Nullable Object key, int partition, Bytes serializedKey, Runnable unlock) {
			this.key = key;
			this.partition = partition;
			this.serializedKey = serializedKey;
			this.unlock = unlock;
		}

		/**
		 * Let other calls open the row, once this call wrote its change or failed. Call
		 * it once, on the thread that opened the row.
		 */
		public void close() {
			this.unlock.run();
		}

		@Override
		public @Nullable Object key() {
			return this.key;
		}

		@Override
		public @Nullable Object get() {
			if (!this.loaded && !this.changed) {
				byte[] stored = GroupTable.this.store.get(this.partition, this.serializedKey);
				this.value = (stored != null)
						? GroupTable.this.valueDeserializer.deserialize(GroupTable.this.topic, stored) : null;
				this.loaded = true;
			}
			return this.value;
		}

		@Override
		public void set(Object value) {
			if (value == null) {
				throw new IllegalArgumentException("A row's value cannot be null; call delete() to remove the row");
			}
			this.value = value;
			this.changed = true;
		}

		@Override
		public void delete() {
			this.value = null;
			this.changed = true;
		}

		/**
		 * Write the row's change, if any, to the table and the local store.
		 * @return null when nothing is left to wait for, or the table's acknowledgment,
		 * which the record must wait for before it completes
		 * @throws Exception if the table did not take the write
		 */
		public @Nullable CompletableFuture<?> flush() throws Exception {
			if (!this.changed) {
				return null;
			}
			TableStore rows = GroupTable.this.store;
			Object newValue = this.value;
			byte[] serialized = (newValue != null)
					? GroupTable.this.valueSerializer.serialize(GroupTable.this.topic, newValue) : null;
			byte[] previous = rows.get(this.partition, this.serializedKey);
			ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(GroupTable.this.topic, this.partition,
					this.serializedKey.get(), serialized);
			return GroupTable.this.writes.write(record, () -> set(rows, serialized), () -> set(rows, previous));
		}

		private void set(TableStore rows, byte @Nullable [] serialized) {
			if (serialized != null) {
				rows.put(this.partition, this.serializedKey, serialized);
			}
			else {
				rows.delete(this.partition, this.serializedKey);
			}
		}

	}

}
