package io.kafkaworker.actuate.endpoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import io.kafkaworker.admin.GroupLag;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.PartitionLag;
import io.kafkaworker.admin.TimestampOffsets;
import io.kafkaworker.admin.TopicOffsets;
import io.kafkaworker.admin.UnknownGroupException;
import io.kafkaworker.admin.UnknownTopicException;
import org.apache.kafka.common.IsolationLevel;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code kafkaoffsets} actuator endpoint, read-only, over {@link KafkaOffsets}:
 * <ul>
 * <li>{@code GET /actuator/kafkaoffsets/{topic}}: the watermarks and message counts of
 * the topic's partitions, and with {@code ?timestamp=} (ISO-8601, such as
 * {@code 2026-01-31T12:00:00Z}, or epoch milliseconds) the offset of each partition's
 * first record at or after it;</li>
 * <li>{@code GET /actuator/kafkaoffsets/{topic}/{group}}: the group's committed offsets
 * and lag on each partition, and in total.</li>
 * </ul>
 * Both take {@code ?isolation=read_committed} to measure to the last stable offsets
 * rather than the log ends. An unknown topic or group is a 404, as Spring Boot's
 * endpoints answer for a selector that names nothing; an unreadable parameter a 400.
 */
@Endpoint(id = "kafkaoffsets")
public class KafkaOffsetsEndpoint {

	private final KafkaOffsets offsets;

	/**
	 * Create the endpoint.
	 * @param offsets the offset tools
	 */
	public KafkaOffsetsEndpoint(KafkaOffsets offsets) {
		this.offsets = offsets;
	}

	/**
	 * Describe a topic's offsets.
	 * @param topic the topic
	 * @param timestamp a point in time (ISO-8601 or epoch milliseconds) to find the
	 * offsets of, or null
	 * @param isolation {@code read_uncommitted} (when null) or {@code read_committed}
	 * @return the watermarks and counts, and the offsets of the timestamp if one was
	 * given; null (404) if there is no such topic
	 */
	@ReadOperation
	public @Nullable TopicDescriptor topic(@Selector String topic, @Nullable String timestamp,
			@Nullable String isolation) {
		IsolationLevel isolationLevel = isolation(isolation);
		Instant instant = (timestamp != null) ? instant(timestamp) : null;
		try {
			TopicOffsets watermarks = this.offsets.watermarks(topic, isolationLevel);
			TimestampOffsets atTimestamp = (instant != null) ? this.offsets.offsetsForTimestamp(topic, instant) : null;
			return new TopicDescriptor(watermarks, atTimestamp);
		}
		catch (UnknownTopicException ex) {
			return null;
		}
	}

	/**
	 * Describe a consumer group's committed offsets and lag on a topic.
	 * @param topic the topic
	 * @param group the consumer group
	 * @param isolation {@code read_uncommitted} (when null) or {@code read_committed}
	 * @return the committed offsets and lag, or null (404) if there is no such topic or
	 * group
	 */
	@ReadOperation
	public @Nullable GroupDescriptor group(@Selector String topic, @Selector String group, @Nullable String isolation) {
		IsolationLevel isolationLevel = isolation(isolation);
		try {
			return GroupDescriptor.of(this.offsets.lag(group, topic, isolationLevel));
		}
		catch (UnknownTopicException | UnknownGroupException ex) {
			return null;
		}
	}

	private static IsolationLevel isolation(@Nullable String isolation) {
		if (isolation == null) {
			return IsolationLevel.READ_UNCOMMITTED;
		}
		try {
			return IsolationLevel.valueOf(isolation.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("Unknown isolation '" + isolation + "'; use read_uncommitted or read_committed");
		}
	}

	private static Instant instant(String timestamp) {
		String text = timestamp.trim();
		try {
			return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
					: Instant.parse(text);
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			throw badRequest("Unreadable timestamp '" + timestamp
					+ "'; use ISO-8601 (2026-01-31T12:00:00Z) or epoch milliseconds");
		}
	}

	private static InvalidEndpointRequestException badRequest(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

	/**
	 * A topic's offsets, written by the actuator's own JSON mapper, which leaves null
	 * fields out.
	 *
	 * @param watermarks the watermarks and message counts of its partitions
	 * @param offsetsForTimestamp the offsets of the timestamp asked for, or null if none
	 * was
	 */
	public record TopicDescriptor(TopicOffsets watermarks,
			@Nullable TimestampOffsets offsetsForTimestamp) implements OperationResponseBody {

	}

	/**
	 * A consumer group's committed offsets and lag on a topic: a {@link GroupLag},
	 * written by the actuator's own JSON mapper as the endpoint's other answers are.
	 *
	 * @param group the consumer group
	 * @param topic the topic
	 * @param isolation the isolation of the high watermarks the lag is measured to
	 * @param partitions each partition's committed offset (absent if none) and lag
	 * @param totalLag the sum of the partitions' lag
	 */
	public record GroupDescriptor(String group, String topic, IsolationLevel isolation, List<PartitionLag> partitions,
			long totalLag) implements OperationResponseBody {

		static GroupDescriptor of(GroupLag lag) {
			return new GroupDescriptor(lag.group(), lag.topic(), lag.isolation(), lag.partitions(), lag.totalLag());
		}

	}

}
