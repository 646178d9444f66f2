package io.kafkaworker.container;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a consumer has joined its group, as readiness sees it: once it received
 * partitions, or once it held an assignment with none for
 * {@link #EMPTY_ASSIGNMENT_GRACE}.
 *
 * <p>
 * An empty assignment is not taken as final at once because on the consumer protocol
 * (KIP-848) it often is not: kafka-clients reconciles the part of the coordinator's
 * target that its metadata can already name, so a member whose metadata has not caught up
 * with the topic ids yet gets an empty assignment first and its partitions moments later.
 * A member that really gets nothing (more members than partitions) must still become
 * ready, hence a grace rather than a wait for partitions. Written on the consumer thread,
 * read by health checks on others.
 */
final class GroupJoin {

	static final Duration EMPTY_ASSIGNMENT_GRACE = Duration.ofSeconds(2);

	private final LongSupplier nanoClock;

	private volatile boolean partitionsReceived;

	private volatile long emptyAssignmentNanos;

	private volatile boolean assignmentReceived;

	GroupJoin(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	/**
	 * Note an assignment.
	 * @param added how many partitions it added
	 */
	void assigned(int added) {
		if (added > 0) {
			this.partitionsReceived = true;
		}
		else if (!this.assignmentReceived) {
			this.emptyAssignmentNanos = this.nanoClock.getAsLong();
		}
		this.assignmentReceived = true;
	}

	/**
	 * Return whether the consumer received an assignment, even an empty one.
	 * @return true after the first assignment
	 */
	boolean assignmentReceived() {
		return this.assignmentReceived;
	}

	/**
	 * Return whether the consumer joined its group.
	 * @return true once it received partitions, or held an empty assignment for the grace
	 */
	boolean joined() {
		if (this.partitionsReceived) {
			return true;
		}
		return this.assignmentReceived
				&& this.nanoClock.getAsLong() - this.emptyAssignmentNanos >= EMPTY_ASSIGNMENT_GRACE.toNanos();
	}

}
