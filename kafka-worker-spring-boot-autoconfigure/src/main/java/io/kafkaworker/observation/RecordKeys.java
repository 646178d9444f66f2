package io.kafkaworker.observation;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * What the records of one handler call share (topic, partition, key as text), for spans
 * and log context.
 */
final class RecordKeys {

	private RecordKeys() {
	}

	// The key every record of a call shares, as text. Binary keys are left out: their
	// bytes are rarely readable and may be large.
	static @Nullable String sharedKeyText(List<ConsumerRecord<?, ?>> records) {
		Object key = shared(records, ConsumerRecord::key);
		return (key == null || key instanceof byte[]) ? null : key.toString();
	}

	// The value every record of a call has, or null when they differ. A loop, not a
	// stream: it runs for every observed call.
	static <T> @Nullable T shared(List<ConsumerRecord<?, ?>> records, Function<ConsumerRecord<?, ?>, T> value) {
		T first = value.apply(records.get(0));
		for (int i = 1; i < records.size(); i++) {
			if (!Objects.equals(value.apply(records.get(i)), first)) {
				return null;
			}
		}
		return first;
	}

}
