package io.kafkaworker.samples.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where {@code consume --from} starts reading each partition: its first record still in
 * the log, its end, an offset, or the first record at or after a point in time.
 *
 * @param kind which of the four
 * @param offset the offset, for {@link Kind#OFFSET}
 * @param timestamp the point in time, for {@link Kind#TIMESTAMP}
 */
public record StartPosition(Kind kind, long offset, @Nullable Instant timestamp) {

	/**
	 * The kinds of start position.
	 */
	public enum Kind {

		/**
		 * The low watermark.
		 */
		BEGINNING,

		/**
		 * The high watermark: only records written from now on.
		 */
		END,

		/**
		 * An offset, the same on every partition read.
		 */
		OFFSET,

		/**
		 * The first offset with a timestamp at or after a point in time.
		 */
		TIMESTAMP

	}

	/**
	 * Reads {@code beginning}, {@code end}, an offset ({@code 42}) or an ISO-8601 time
	 * ({@code 2026-01-31T12:00:00Z} or {@code 2026-01-31T13:00:00+01:00}).
	 */
	public static class Converter implements ITypeConverter<StartPosition> {

		@Override
		public StartPosition convert(String value) {
			if (value.equalsIgnoreCase("beginning")) {
				return new StartPosition(Kind.BEGINNING, 0, null);
			}
			if (value.equalsIgnoreCase("end")) {
				return new StartPosition(Kind.END, 0, null);
			}
			if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
				return new StartPosition(Kind.OFFSET, Long.parseLong(value), null);
			}
			try {
				return new StartPosition(Kind.TIMESTAMP, 0, OffsetDateTime.parse(value).toInstant());
			}
			catch (DateTimeParseException ex) {
				throw new TypeConversionException("'" + value
						+ "' is neither beginning, end, an offset nor an ISO-8601 time such as 2026-01-31T12:00:00Z");
			}
		}

	}

}
