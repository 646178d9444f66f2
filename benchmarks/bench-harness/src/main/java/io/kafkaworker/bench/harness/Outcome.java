package io.kafkaworker.bench.harness;

import java.util.List;

/**
 * What one contender did in one scenario, after the harness's own checks.
 *
 * @param scenario the scenario id
 * @param contender the contender
 * @param status COMPLETED, DNF (budget spent), FAILED (records missing), CRASHED,
 * NO_START (no record within the startup timeout), KILLED (did not stop by itself)
 * @param detail a short explanation for the table
 * @param java the contender's java.version
 * @param expected records in the topic
 * @param handled distinct records handled
 * @param missing records never handled, counted by the harness from the seen file
 * @param duplicates extra handlings of records handled more than once
 * @param elapsedSeconds first handler start to end of the last record's work (for records
 * of the measured kind)
 * @param rate the measured rate: records (non-hot records where a hot key exists) per
 * second
 * @param allRate the rate of all records
 * @param p50Millis backlog latency, median
 * @param p99Millis backlog latency, 99th percentile
 * @param peakRssMb peak resident set size
 * @param peakHeapMb peak heap used, sampled every 50 ms
 * @param peakHeapAfterGcMb peak heap used right after a collection (live data)
 * @param startupSeconds JVM start to first record handled
 * @param failingCalls calls on the failing partition's failing records (P4), retries
 * included
 * @param failingTried failing records called at least once (P4)
 * @param failingCommitted the group's committed offset of the failing partition once the
 * contender stopped (P4), or {@link #NONE_COMMITTED} or {@link #NOT_READ}
 * @param otherCores average cores other programs used while the contender ran (its
 * start-up included), or -1 if unknown
 * @param cpuMicrosPerRecord CPU the contender's JVM used from its first record to its
 * last, per record handled, in microseconds; -1 if unknown (and for a fleet)
 * @param members for a contender run as several JVMs, what each did, in start order;
 * empty for a contender alone
 */
record Outcome(String scenario, Contender contender, String status, String detail, String java, long expected,
		long handled, long missing, long duplicates, double elapsedSeconds, double rate, double allRate, long p50Millis,
		long p99Millis, double peakRssMb, double peakHeapMb, double peakHeapAfterGcMb, double startupSeconds,
		long failingCalls, long failingTried, long failingCommitted, double otherCores, double cpuMicrosPerRecord,
		List<Member> members) {

	/**
	 * What one JVM of a contender run as several did.
	 *
	 * @param handled records it handled for the first time in that JVM, or -1 if it
	 * wrote no result
	 * @param rate those records over its own window, its first record's start to its
	 * last one's end; 0 if it handled none
	 */
	record Member(long handled, double rate) {

	}

	/** {@link #failingCommitted()} when the group committed no offset for the partition. */
	static final long NONE_COMMITTED = -1;

	/** {@link #failingCommitted()} when not read (no failing partition, or an error). */
	static final long NOT_READ = -2;

	static final String COMPLETED = "COMPLETED";

	static final String DNF = "DNF";

	boolean completed() {
		return COMPLETED.equals(this.status);
	}

	/**
	 * Return the status as the table shows it.
	 * @return for example {@code 12,345/s}, {@code DNF (612/s when stopped)} or
	 * {@code FAILED (3 missing)}
	 */
	String rateText() {
		if (completed()) {
			return String.format("%,.0f/s", this.rate);
		}
		if (DNF.equals(this.status)) {
			return String.format("DNF (%,.0f/s when stopped)", this.rate);
		}
		return this.status + ((this.detail != null && !this.detail.isEmpty()) ? " (" + this.detail + ")" : "");
	}

}
