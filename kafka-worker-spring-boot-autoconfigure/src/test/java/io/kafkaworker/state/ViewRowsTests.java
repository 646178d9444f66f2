package io.kafkaworker.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A view's rows read alike on the heap and serialized in RocksDB: puts, overwrites,
 * tombstones, lookups, size, iteration and key ranges.
 */
class ViewRowsTests {

	@TempDir
	static Path directory;

	static Stream<Arguments> rows() {
		return Stream.of(
				Arguments.of("heap", (Function<Class<?>, ViewRows<Object, Long>>) (keyType) -> rows(keyType, null)),
				Arguments.of("rocksdb", (Function<Class<?>, ViewRows<Object, Long>>) (keyType) -> rows(keyType,
						RocksDbTableStore.temporary(directory, "view"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void rowsFollowTheTableRecords(String name, Function<Class<?>, ViewRows<Object, Long>> rows) {
		try (ViewRows<Object, Long> view = rows.apply(String.class)) {
			view.apply(bytes("b"), longBytes(2));
			view.apply(bytes("a"), longBytes(1));
			view.apply(bytes("c"), longBytes(3));
			view.apply(bytes("b"), longBytes(20));
			view.apply(bytes("c"), null);
			view.apply(bytes("missing"), null);
			assertThat(view.get("b")).isEqualTo(20L);
			assertThat(view.get("c")).isNull();
			assertThat(view.size()).isEqualTo(2);
			Map<Object, Long> all = new HashMap<>();
			view.forEach(all::put);
			assertThat(all).isEqualTo(Map.of("a", 1L, "b", 20L));
			assertThat(view.range("a", "b")).containsExactly(Map.entry("a", 1L));
			assertThat(List.copyOf(view.range("a", "z").keySet())).containsExactly("a", "b");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void keysThatAreNotComparableHaveNoRanges(String name, Function<Class<?>, ViewRows<Object, Long>> rows) {
		try (ViewRows<Object, Long> view = rows.apply(byte[].class)) {
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> view.range(new byte[0], new byte[1]))
				.withMessageContaining("not comparable");
		}
	}

	@SuppressWarnings("unchecked")
	private static ViewRows<Object, Long> rows(Class<?> keyType, TableStore store) {
		Serde<Object> keys = (Serde<Object>) (Serde<?>) ((keyType == String.class) ? Serdes.String()
				: Serdes.ByteArray());
		Class<Object> type = (Class<Object>) keyType;
		return (store != null) ? ViewRows.stored("test", type, keys, Serdes.Long(), store)
				: ViewRows.onHeap("test", type, keys, Serdes.Long());
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] longBytes(long value) {
		return Serdes.Long().serializer().serialize(null, value);
	}

}
