package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The configs a share-group worker sets on its share group when it starts, and how it
 * acknowledges records that failed ({@code kafka.worker.workers.<id>.share.*}). A null
 * config leaves the group's config as the broker has it.
 *
 * @param autoOffsetReset the group's {@value #AUTO_OFFSET_RESET}: {@code earliest},
 * {@code latest} or {@code by_duration:} and an ISO-8601 duration
 * @param recordLockDuration the group's {@value #RECORD_LOCK_DURATION}
 * @param rejectExhausted whether records whose attempts were exhausted are acknowledged
 * REJECT rather than ACCEPT ({@value #REJECT_EXHAUSTED_PROPERTY})
 */
public record ShareGroupSettings(@Nullable String autoOffsetReset, @Nullable Duration recordLockDuration,
		boolean rejectExhausted) {

	/**
	 * The group config of where the group starts on a partition it has not consumed.
	 */
	public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

	/**
	 * The group config of how long the broker locks a record handed to a member.
	 */
	public static final String RECORD_LOCK_DURATION = "share.record.lock.duration.ms";

	/**
	 * The worker property, below {@code kafka.worker.workers.<id>.}, that sets
	 * {@value #AUTO_OFFSET_RESET}.
	 */
	public static final String AUTO_OFFSET_RESET_PROPERTY = "share.auto-offset-reset";

	/**
	 * The worker property, below {@code kafka.worker.workers.<id>.}, that sets
	 * {@value #RECORD_LOCK_DURATION}.
	 */
	public static final String RECORD_LOCK_DURATION_PROPERTY = "share.record-lock-duration";

	/**
	 * The worker property, below {@code kafka.worker.workers.<id>.}, that has records
	 * whose attempts were exhausted acknowledged REJECT.
	 */
	public static final String REJECT_EXHAUSTED_PROPERTY = "share.reject-exhausted";

	/**
	 * Return the group configs to set, in the order of the properties.
	 * @return the configs, empty if none is set
	 */
	public List<GroupConfig> groupConfigs() {
		List<GroupConfig> configs = new ArrayList<>();
		if (this.autoOffsetReset != null) {
			configs.add(new GroupConfig(AUTO_OFFSET_RESET, this.autoOffsetReset, AUTO_OFFSET_RESET_PROPERTY));
		}
		if (this.recordLockDuration != null) {
			configs.add(new GroupConfig(RECORD_LOCK_DURATION, Long.toString(this.recordLockDuration.toMillis()),
					RECORD_LOCK_DURATION_PROPERTY));
		}
		return configs;
	}

	/**
	 * One group config to set.
	 *
	 * @param name Kafka's name of the config
	 * @param value its value, as the broker takes it
	 * @param property the worker property that sets it, below
	 * {@code kafka.worker.workers.<id>.}
	 */
	public record GroupConfig(String name, String value, String property) {

	}

}
