package io.kafkaworker.chaos.harness;

/**
 * The faults of the schedule, and the events logged with them (restarts, SIGCONT,
 * operator actions) that are not counted as faults.
 */
enum Fault {

	/** SIGKILL a worker, then start a new incarnation in its slot. */
	SIGKILL(true),
	/** SIGTERM a worker (a rolling restart), then start a new incarnation once it exited. */
	SIGTERM(true),
	/** SIGTERM every worker at once, then start them all again. */
	SIGTERM_ALL(true),
	/** Start an extra member, and SIGTERM it a few seconds later (a rebalance storm). */
	EXTRA_MEMBER(true),
	/** SIGSTOP a worker for longer than the session timeout, then SIGCONT (a zombie). */
	ZOMBIE(true),
	/** SIGKILL the broker and restart it on the same port and data. */
	BROKER_KILL(true),
	/** A record whose handler throws twice, then succeeds (retries). */
	RETRY_RECORD(true),
	/** A record whose handler throws four times: dead-lettered, or frozen and resumed. */
	HEALING_RECORD(true),
	/** A record whose handler always throws: dead-lettered, or frozen and skipped. */
	FAILING_RECORD(true),
	/** A record that cannot be deserialized. */
	POISON_PILL(true),
	/** A record whose handler runs longer than max.poll.interval.ms. */
	SLOW_RECORD(true),
	/** A worker was signalled as part of a fault logged before (all at once, the extra member leaving). */
	STOPPED(false),
	/** A worker incarnation started. */
	START(false),
	/** A stopped worker continued. */
	SIGCONT(false),
	/** The broker is ready again. */
	BROKER_READY(false),
	/** The operator resumed a frozen record. */
	OPERATOR_RESUME(false),
	/** The operator skipped a frozen record. */
	OPERATOR_SKIP(false),
	/** A worker exited on its own, or did not stop in time. */
	UNEXPECTED(false);

	private final boolean counted;

	Fault(boolean counted) {
		this.counted = counted;
	}

	boolean counted() {
		return this.counted;
	}

}
