package io.kafkaworker.delivery;

import java.time.Duration;

/**
 * How many records an exactly-once unit may gather from later polls: as many as the last
 * committed unit's pace says are handled within the target time. A unit begins with one
 * poll, whose records mostly come from one partition; records of the other partitions
 * join it so that its calls spread over more lanes, but a unit that took longer would
 * hold its transaction open longer, make its output visible later, and risk the
 * producer's {@code transaction.timeout.ms} and the revoke timeout. With slow handlers
 * nothing joins, and a unit is one poll, as it was before joins. Pure: the caller reports
 * each committed unit and asks before each join.
 */
final class UnitPace {

	/** How long a unit should take to handle, at the last unit's pace. */
	static final Duration TARGET = Duration.ofSeconds(1);

	private final long targetNanos;

	// The last committed unit's handling time per record; 0 until one was committed.
	private double nanosPerRecord;

	UnitPace(Duration target) {
		this.targetNanos = target.toNanos();
	}

	/**
	 * Learn the pace of a committed unit.
	 * @param records how many records it had
	 * @param handlingNanos how long from its first poll until its last record was
	 * complete
	 */
	void committed(long records, long handlingNanos) {
		if (records > 0 && handlingNanos > 0) {
			this.nanosPerRecord = (double) handlingNanos / records;
		}
	}

	/**
	 * Return whether a poll's records may join the open unit.
	 * @param unitRecords the records the unit has
	 * @param joining the records that would join it
	 * @return true if the unit, with them, is handled within the target time at the last
	 * unit's pace; false before any unit was committed
	 */
	boolean mayJoin(long unitRecords, long joining) {
		return this.nanosPerRecord > 0 && (unitRecords + joining) * this.nanosPerRecord <= this.targetNanos;
	}

}
