package io.kafkaworker.samples.cli;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import org.springframework.boot.convert.DurationStyle;

/**
 * Reads a duration as Spring Boot's properties do: {@code 500ms}, {@code 5s}, {@code 1m},
 * or ISO-8601 ({@code PT5S}); a bare number is milliseconds.
 */
public class DurationConverter implements ITypeConverter<Duration> {

	@Override
	public Duration convert(String value) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException("'" + value + "' is not a duration (use 500ms, 5s, 1m or PT5S)");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new TypeConversionException("'" + value + "' is not a positive duration");
		}
		return duration;
	}

}
