package io.kafkaworker.delivery;

import java.time.Duration;

/**
 * Whether a poll's records may join an open exactly-once unit: only while, at the pace of
 * the units before (handling time per record), the unit would still end within the target
 * time, counting how long it has run and the records it has not finished. A unit begins
 * with one poll, whose records mostly come from one partition; records of the other
 * partitions that join it spread its calls over more lanes, but a unit that took longer
 * would hold its transaction open longer, make its output visible later, and risk the
 * producer's {@code transaction.timeout.ms} and the revoke timeout. So nothing joins
 * before a unit ended, nor once units are slow: a unit is then one poll, as it was before
 * joins. Pure: the caller reports each unit's end and asks before each join.
 */
final class UnitPace {

	/** How long a unit should take to handle, at the pace of the units before. */
	static final Duration TARGET = Duration.ofSeconds(1);

	private final long targetNanos;

	// Handling time per record; 0 until a unit ended.
	private double nanosPerRecord;

	UnitPace(Duration target) {
		this.targetNanos = target.toNanos();
	}

	/**
	 * Learn the pace of a committed unit.
	 * @param records how many records it dispatched
	 * @param handlingNanos how long from its first poll until its commit began
	 */
	void committed(long records, long handlingNanos) {
		if (records > 0 && handlingNanos > 0) {
			this.nanosPerRecord = (double) handlingNanos / records;
		}
	}

	/**
	 * Learn from a unit that aborted: it took at least this long, so the pace is no
	 * faster than that (a unit the broker aborted after {@code transaction.timeout.ms}
	 * makes the next ones smaller; one a failure aborted early changes nothing).
	 * @param records how many records it dispatched
	 * @param elapsedNanos how long it ran
	 */
	void aborted(long records, long elapsedNanos) {
		if (records > 0 && elapsedNanos > 0) {
			this.nanosPerRecord = Math.max(this.nanosPerRecord, (double) elapsedNanos / records);
		}
	}

	/**
	 * Return whether records may join the open unit.
	 * @param elapsedNanos how long the unit has run
	 * @param unfinished the unit's records not finished yet
	 * @param joining the records that would join it
	 * @return true if the unit, with them, ends within the target time at the pace of the
	 * units before; false before any unit ended
	 */
	boolean mayJoin(long elapsedNanos, long unfinished, long joining) {
		return this.nanosPerRecord > 0
				&& elapsedNanos + (unfinished + joining) * this.nanosPerRecord <= this.targetNanos;
	}

}
