package io.kafkaworker.observation;

import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Record keys as text, for spans and log context.
 */
final class RecordKeys {

	private RecordKeys() {
	}

	// The key every record of a call shares, as text. Binary keys are left out: their
	// bytes are rarely readable and may be large.
	static @Nullable String sharedKeyText(List<ConsumerRecord<?, ?>> records) {
		Object key = records.get(0).key();
		if (key == null || key instanceof byte[]) {
			return null;
		}
		for (int i = 1; i < records.size(); i++) {
			if (!Objects.equals(records.get(i).key(), key)) {
				return null;
			}
		}
		return key.toString();
	}

}
