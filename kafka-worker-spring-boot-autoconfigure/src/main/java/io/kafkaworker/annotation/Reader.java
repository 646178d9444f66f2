package io.kafkaworker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a worker a reader (kefka's Reader): it reads its topics with an explicit
 * assignment instead of a consumer group, from a start position, and commits nothing;
 * with {@link #stopAtEnd()} it stops by itself at the end offsets it sees when it starts.
 * Given as {@code @KafkaBatchWorker(reader = @Reader(...))}; every attribute can also be
 * set under {@code kafka.worker.workers.<id>.reader.*}, which wins.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Reader {

	/**
	 * Where reading starts. {@link ReadFrom#TIMESTAMP} needs {@link #startTimestamp()};
	 * {@link ReadFrom#OFFSETS} needs {@code reader.start-offsets.*} in the properties.
	 * @return the start
	 */
	ReadFrom start() default ReadFrom.EARLIEST;

	/**
	 * The time to start from with {@link ReadFrom#TIMESTAMP}, in ISO-8601 (for example
	 * {@code 2026-12-01T00:00:00Z}); placeholders are resolved.
	 * @return the time, or empty
	 */
	String startTimestamp() default "";

	/**
	 * The partitions to read of each topic; empty for all of them.
	 * @return the partitions
	 */
	int[] partitions() default {};

	/**
	 * Whether the reader stops by itself once it handled every record below the end
	 * offsets it saw when it started.
	 * @return true to stop at the end
	 */
	boolean stopAtEnd() default false;

	/**
	 * Whether the application exits with status 0 once every reader with this set reached
	 * its end (a backfill job). Needs {@link #stopAtEnd()}.
	 * @return true to exit when done
	 */
	boolean exitWhenDone() default false;

}
