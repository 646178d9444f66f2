package io.kafkaworker.samples.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * How {@code consume} prints a key or value: records are bytes, and not every value is
 * text.
 */
public enum RecordFormat {

	/**
	 * UTF-8 text.
	 */
	STRING {
		@Override
		String print(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
	},

	/**
	 * Lower-case hexadecimal.
	 */
	HEX {
		@Override
		String print(byte[] bytes) {
			return HexFormat.of().formatHex(bytes);
		}
	},

	/**
	 * Base64, standard alphabet, padded.
	 */
	BASE64 {
		@Override
		String print(byte[] bytes) {
			return Base64.getEncoder().encodeToString(bytes);
		}
	};

	/**
	 * What a null key or value (a tombstone) prints as.
	 */
	static final String NULL = "(null)";

	/**
	 * Print bytes in this format.
	 * @param bytes the bytes, or null
	 * @return the text, or {@value #NULL}
	 */
	String format(byte @Nullable [] bytes) {
		return (bytes != null) ? print(bytes) : NULL;
	}

	abstract String print(byte[] bytes);

}
