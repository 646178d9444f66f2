package io.kafkaworker.observation;

import org.jspecify.annotations.Nullable;

/**
 * Record keys as text, for spans and log context.
 */
final class RecordKeys {

	private RecordKeys() {
	}

	// Binary keys are left out: their bytes are rarely readable and may be large.
	static @Nullable String asText(@Nullable Object key) {
		if (key == null || key instanceof byte[]) {
			return null;
		}
		return key.toString();
	}

}
