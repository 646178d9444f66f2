package io.kafkaworker.observation;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class RecordLogContextTests {

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void putsTheRecordsCoordinatesAndRemovesThemAllOnClose() {
		MDC.put("application", "kept");
		try (RecordLogContext context = RecordLogContext.open("orders", List.of(record(3, 42, "key-7")))) {
			assertThat(MDC.getCopyOfContextMap()).containsEntry("kafka.worker", "orders")
				.containsEntry("kafka.topic", "demo")
				.containsEntry("kafka.partition", "3")
				.containsEntry("kafka.offset", "42")
				.containsEntry("kafka.key", "key-7");
		}
		assertThat(MDC.getCopyOfContextMap()).containsExactlyEntriesOf(Map.of("application", "kept"));
	}

	@Test
	void aRecordWithoutAKeyLeavesNoKeyOfAnEarlierRecord() {
		try (RecordLogContext context = RecordLogContext.open("orders", List.of(record(0, 1, "key-1")))) {
			assertThat(MDC.get("kafka.key")).isEqualTo("key-1");
		}
		try (RecordLogContext context = RecordLogContext.open("orders", List.of(record(0, 2, null)))) {
			assertThat(MDC.get("kafka.key")).isNull();
			assertThat(MDC.get("kafka.offset")).isEqualTo("2");
		}
	}

	@Test
	void aLaneBatchShowsItsOffsetRangeAndTheKeyItsRecordsShare() {
		try (RecordLogContext context = RecordLogContext.open("orders",
				List.of(record(1, 10, "k"), record(1, 11, "k"), record(1, 14, "k")))) {
			assertThat(MDC.get("kafka.offset")).isEqualTo("10-14");
			assertThat(MDC.get("kafka.key")).isEqualTo("k");
		}
		try (RecordLogContext context = RecordLogContext.open("orders",
				List.of(record(1, 10, "a"), record(2, 11, "b")))) {
			assertThat(MDC.get("kafka.worker")).isEqualTo("orders");
			assertThat(MDC.get("kafka.partition")).isNull();
			assertThat(MDC.get("kafka.offset")).isNull();
			assertThat(MDC.get("kafka.key")).isNull();
		}
	}

	@Test
	void oneContextNamesTheCallsOfALaneRunOneAfterTheOther() {
		MDC.put("application", "kept");
		try (RecordLogContext context = RecordLogContext.open("orders")) {
			assertThat(MDC.getCopyOfContextMap())
				.containsExactlyInAnyOrderEntriesOf(Map.of("application", "kept", "kafka.worker", "orders"));
			context.describe(List.of(record(3, 42, "key-7")));
			context.describe(List.of(record(3, 43, null)));
			assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of("application", "kept",
					"kafka.worker", "orders", "kafka.topic", "demo", "kafka.partition", "3", "kafka.offset", "43"));
			context.describe(List.of(record(4, 7, "key-1")));
			assertThat(MDC.get("kafka.partition")).isEqualTo("4");
			assertThat(MDC.get("kafka.key")).isEqualTo("key-1");
			context.describe(List.<ConsumerRecord<?, ?>>of(new ConsumerRecord<>("other", 4, 8, "key-2", "value")));
			assertThat(MDC.get("kafka.topic")).isEqualTo("other");
			// a handler that clears its MDC: the next call gets every key back
			MDC.clear();
			context.describe(List.<ConsumerRecord<?, ?>>of(new ConsumerRecord<>("other", 4, 9, "key-2", "value")));
			assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of("kafka.worker", "orders",
					"kafka.topic", "other", "kafka.partition", "4", "kafka.offset", "9", "kafka.key", "key-2"));
			// a lane batch of two partitions: no partition, offset or key
			context.describe(List.of(record(1, 10, "a"), record(2, 11, "b")));
			assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of("kafka.worker", "orders"));
			context.describe(List.of(record(1, 12, "a")));
			assertThat(MDC.get("kafka.partition")).isEqualTo("1");
			MDC.put("application", "kept");
		}
		assertThat(MDC.getCopyOfContextMap()).containsExactlyEntriesOf(Map.of("application", "kept"));
	}

	@Test
	void binaryKeysAreLeftOut() {
		try (RecordLogContext context = RecordLogContext.open("orders",
				List.of(new ConsumerRecord<Object, Object>("demo", 0, 5, new byte[] { 1, 2 }, "v")))) {
			assertThat(MDC.get("kafka.key")).isNull();
		}
	}

	private static ConsumerRecord<?, ?> record(int partition, long offset, String key) {
		return new ConsumerRecord<>("demo", partition, offset, key, "value");
	}

}
