package io.kafkaworker.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two table stores keep rows per partition alike: a partition's rows are its own, and
 * dropping it leaves the others.
 */
class TableStoreTests {

	@TempDir
	static Path directory;

	static Stream<Arguments> stores() {
		return Stream.of(Arguments.of("memory", (Supplier<TableStore>) InMemoryTableStore::new),
				Arguments.of("rocksdb", (Supplier<TableStore>) () -> new RocksDbTableStore(directory, "test")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stores")
	void rowsBelongToTheirPartitionAndClearingOneLeavesTheOthers(String name, Supplier<TableStore> stores) {
		try (TableStore store = stores.get()) {
			// 127 and 128 differ in the sign of their last byte: ordering must be
			// unsigned.
			for (int partition : new int[] { 0, 1, 127, 128, 255, 256 }) {
				for (int key = 0; key < 3; key++) {
					store.put(partition, key("k" + key),
							("p" + partition + "k" + key).getBytes(StandardCharsets.UTF_8));
				}
			}
			store.delete(1, key("k1"));
			assertThat(store.get(1, key("k1"))).isNull();
			assertThat(new String(store.get(128, key("k2")), StandardCharsets.UTF_8)).isEqualTo("p128k2");
			assertThat(store.size(1)).isEqualTo(2);
			assertThat(store.size(127)).isEqualTo(3);
			store.clear(127);
			assertThat(store.size(127)).isZero();
			assertThat(store.get(127, key("k0"))).isNull();
			assertThat(store.size(128)).isEqualTo(3);
			assertThat(store.size(126)).isZero();
			assertThat(new String(store.get(0, key("k0")), StandardCharsets.UTF_8)).isEqualTo("p0k0");
		}
	}

	@Test
	void rocksDbKeepsRowsAndCheckpointsAcrossReopeningAndDropsACheckpointDurably(@TempDir Path tables) {
		try (RocksDbTableStore store = new RocksDbTableStore(tables, "clicks-table")) {
			assertThat(store.keepsCheckpoints()).isTrue();
			assertThat(store.directory()).isEqualTo(tables.resolve("clicks-table"));
			assertThat(store.checkpoint(3)).isEqualTo(-1);
			store.put(3, key("a"), bytes("1"));
			store.put(4, key("b"), bytes("2"));
			store.checkpoint(3, 42);
			store.checkpoint(4, 7);
		}
		try (RocksDbTableStore store = new RocksDbTableStore(tables, "clicks-table")) {
			assertThat(store.checkpoint(3)).isEqualTo(42);
			assertThat(store.get(3, key("a"))).isEqualTo(bytes("1"));
			assertThat(store.size(3)).as("checkpoints are not rows").isEqualTo(1);
			store.checkpoint(3, -1);
			store.clear(4);
			assertThat(store.get(4, key("b"))).isNull();
		}
		try (RocksDbTableStore store = new RocksDbTableStore(tables, "clicks-table")) {
			assertThat(store.checkpoint(3)).as("a dropped checkpoint").isEqualTo(-1);
			assertThat(store.checkpoint(4)).as("the checkpoint of a cleared partition").isEqualTo(-1);
		}
	}

	@Test
	void aSecondRocksDbStoreOfOneTableUsesADirectoryOfItsOwnWithoutCheckpoints(@TempDir Path tables) {
		try (RocksDbTableStore first = new RocksDbTableStore(tables, "clicks-table")) {
			first.checkpoint(0, 5);
			Path second;
			try (RocksDbTableStore other = new RocksDbTableStore(tables, "clicks-table")) {
				second = other.directory();
				assertThat(second).isNotEqualTo(first.directory());
				assertThat(other.keepsCheckpoints()).isFalse();
				other.checkpoint(0, 9);
				assertThat(other.checkpoint(0)).isEqualTo(-1);
			}
			assertThat(second).doesNotExist();
			assertThat(first.checkpoint(0)).isEqualTo(5);
		}
	}

	@Test
	void theHeapKeepsNoCheckpoints() {
		try (TableStore store = new InMemoryTableStore()) {
			store.checkpoint(0, 5);
			assertThat(store.keepsCheckpoints()).isFalse();
			assertThat(store.checkpoint(0)).isEqualTo(-1);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static Bytes key(String key) {
		return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
	}

}
