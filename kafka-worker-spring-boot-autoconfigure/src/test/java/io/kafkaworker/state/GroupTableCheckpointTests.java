package io.kafkaworker.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Restores and releases of a group table kept in a store with checkpoints: a restore
 * reads only the table's tail after a checkpoint the table still has, and drops the
 * checkpoint before the rows change; a release keeps the rows of settled partitions with
 * the table's end as their checkpoint and drops the others. The table topic is
 * kafka-clients' {@link MockConsumer}: what is tested is which offsets the table reads
 * from and what the store keeps.
 */
class GroupTableCheckpointTests {

	private static final String TABLE = "clicks-table";

	private final Map<Integer, List<String[]>> log = new HashMap<>();

	private final List<Map<TopicPartition, Long>> seeks = new ArrayList<>();

	private final List<List<GroupTable.RestoreProgress>> progressSeen = new ArrayList<>();

	private @Nullable GroupTable observed;

	private List<String> inputs = List.of("clicks");

	@TempDir
	Path stores;

	@Test
	void aRestoreShowsItsProgressWhileItRunsAndNothingOnceItEnded() {
		append(0, "a", "1", "b", "1", "a", "2");
		try (InMemoryTableStore store = new InMemoryTableStore()) {
			GroupTable table = table(store);
			this.observed = table;
			table.restore(List.of(new TopicPartition("clicks", 0)));
			assertThat(this.progressSeen).first().isEqualTo(List.of(new GroupTable.RestoreProgress(0, 0, 3)));
			assertThat(table.restoring()).isEmpty();
		}
	}

	@Test
	void aRestoreFromACheckpointReadsOnlyTheTailKeepsTheRowsAndDropsTheCheckpoint() {
		append(0, "a", "1", "b", "1", "a", "2");
		try (RocksDbTableStore store = new RocksDbTableStore(this.stores, TABLE)) {
			// the rows as the table's first two records left them
			store.put(0, key("a"), bytes("1"));
			store.put(0, key("b"), bytes("1"));
			store.checkpoint(0, 2);
			long read = table(store).restore(List.of(new TopicPartition("clicks", 0)));
			assertThat(read).isEqualTo(1);
			assertThat(this.seeks).containsExactly(Map.of(new TopicPartition(TABLE, 0), 2L));
			assertThat(value(store, "a")).isEqualTo("2");
			assertThat(value(store, "b")).isEqualTo("1");
			assertThat(store.checkpoint(0)).as("the checkpoint once the rows may change").isEqualTo(-1);
		}
	}

	@Test
	void aCheckpointBeyondTheTableIsNotTrusted() {
		append(0, "a", "1");
		try (RocksDbTableStore store = new RocksDbTableStore(this.stores, TABLE)) {
			store.put(0, key("stale"), bytes("9"));
			store.checkpoint(0, 5);
			long read = table(store).restore(List.of(new TopicPartition("clicks", 0)));
			assertThat(read).isEqualTo(1);
			assertThat(this.seeks).containsExactly(Map.of(new TopicPartition(TABLE, 0), 0L));
			assertThat(store.get(0, key("stale"))).as("a row of a table that was not this one").isNull();
			assertThat(value(store, "a")).isEqualTo("1");
		}
	}

	@Test
	void aReleaseKeepsSettledPartitionsAtTheTablesEndAndDropsTheOthers() {
		append(0, "a", "1", "a", "2");
		append(1, "b", "1");
		try (RocksDbTableStore store = new RocksDbTableStore(this.stores, TABLE)) {
			GroupTable table = table(store);
			List<TopicPartition> inputs = List.of(new TopicPartition("clicks", 0), new TopicPartition("clicks", 1));
			table.restore(inputs);
			table.release(inputs, List.of(new TopicPartition("clicks", 0)));
			assertThat(store.checkpoint(0)).isEqualTo(2);
			assertThat(value(store, "a")).isEqualTo("2");
			assertThat(store.checkpoint(1)).isEqualTo(-1);
			assertThat(store.size(1)).as("rows of a partition let go unsettled").isZero();
		}
	}

	@Test
	void theHeapDropsEveryReleasedPartitionAndRestoresFromTheBeginning() {
		append(0, "a", "1", "a", "2");
		try (InMemoryTableStore store = new InMemoryTableStore()) {
			GroupTable table = table(store);
			List<TopicPartition> inputs = List.of(new TopicPartition("clicks", 0));
			table.restore(inputs);
			table.release(inputs, inputs);
			assertThat(store.size(0)).isZero();
			assertThat(table.restore(inputs)).isEqualTo(2);
			assertThat(this.seeks).allMatch((seek) -> seek.equals(Map.of(new TopicPartition(TABLE, 0), 0L)));
		}
	}

	@Test
	void aWorkerOfSeveralTopicsMustBeAssignedThePartitionsOfOneNumberTogether() {
		this.inputs = List.of("clicks", "clicks-loop");
		append(0, "a", "1");
		try (InMemoryTableStore store = new InMemoryTableStore()) {
			GroupTable table = table(store);
			assertThatIllegalStateException().isThrownBy(() -> table.restore(List.of(new TopicPartition("clicks", 0))))
				.withMessageContaining("was not assigned [clicks-loop-0]")
				.withMessageContaining("partition.assignment.strategy");
			table.release(List.of(new TopicPartition("clicks", 0)), List.of());
			assertThat(table.restore(List.of(new TopicPartition("clicks", 0), new TopicPartition("clicks-loop", 0))))
				.isEqualTo(1);
		}
	}

	private void append(int partition, String... keysAndValues) {
		List<String[]> records = this.log.computeIfAbsent(partition, (number) -> new ArrayList<>());
		for (int i = 0; i < keysAndValues.length; i += 2) {
			records.add(new String[] { keysAndValues[i], keysAndValues[i + 1] });
		}
	}

	private GroupTable table(TableStore store) {
		@SuppressWarnings("unchecked")
		Serializer<Object> serializer = (Serializer<Object>) (Serializer<?>) new StringSerializer();
		@SuppressWarnings("unchecked")
		Deserializer<Object> deserializer = (Deserializer<Object>) (Deserializer<?>) new StringDeserializer();
		return new GroupTable("counter", TABLE, store, serializer, serializer, deserializer,
				TableWrites.transactional(), (overrides) -> tableTopic(), () -> {
				}, this.inputs);
	}

	// A reader of the table topic as it is now, which notes where each restore starts.
	private MockConsumer<byte[], byte[]> tableTopic() {
		MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {

			private final Map<TopicPartition, Long> started = new HashMap<>();

			@Override
			public synchronized void seek(TopicPartition partition, long offset) {
				super.seek(partition, offset);
				this.started.put(partition, offset);
				if (this.started.size() == assignment().size()) {
					GroupTableCheckpointTests.this.seeks.add(Map.copyOf(this.started));
				}
			}

		};
		Map<TopicPartition, Long> beginnings = new HashMap<>();
		Map<TopicPartition, Long> ends = new HashMap<>();
		for (int partition = 0; partition < 2; partition++) {
			TopicPartition topicPartition = new TopicPartition(TABLE, partition);
			beginnings.put(topicPartition, 0L);
			ends.put(topicPartition, (long) this.log.getOrDefault(partition, List.of()).size());
		}
		consumer.updateBeginningOffsets(beginnings);
		consumer.updateEndOffsets(ends);
		consumer.schedulePollTask(() -> {
			if (this.observed != null) {
				this.progressSeen.add(this.observed.restoring());
			}
		});
		consumer.schedulePollTask(() -> this.log.forEach((partition, records) -> {
			if (!consumer.assignment().contains(new TopicPartition(TABLE, partition))) {
				return;
			}
			for (int offset = 0; offset < records.size(); offset++) {
				consumer.addRecord(new ConsumerRecord<>(TABLE, partition, offset, bytes(records.get(offset)[0]),
						bytes(records.get(offset)[1])));
			}
		}));
		return consumer;
	}

	private static String value(TableStore store, String key) {
		byte[] value = store.get(0, key(key));
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : "none";
	}

	private static Bytes key(String key) {
		return Bytes.wrap(bytes(key));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
