package io.kafkaworker.chaos.harness;

/**
 * What allowed a duplicate: the fate of the incarnation that handled the record before.
 */
enum Cause {

	/** That incarnation was killed with SIGKILL before committing. */
	SIGKILL("kill -9"),
	/** That incarnation (or the later one) was frozen by SIGSTOP past the session timeout. */
	ZOMBIE("zombie"),
	/** That incarnation was stopped gracefully (SIGTERM): 0 once the engine is done. */
	SIGTERM("SIGTERM"),
	/**
	 * A slow record (its handler runs longer than {@code revoke-timeout} and than a drain
	 * may wait) whose partition could move while the first incarnation still ran it: the
	 * next owner started it before the first handling ended, or the group's membership
	 * changed during the first handling. No engine can wait for a handler longer than the
	 * group allows.
	 */
	SLOW_HANDOVER("slow record handed over while it ran"),
	/** That incarnation was alive: its partition moved in a rebalance. */
	REBALANCE("rebalance"),
	/** The same incarnation handled it twice (a retry after a failed send). */
	SAME_INCARNATION("same incarnation"),
	/** Either handling fell within a broker outage. */
	BROKER_OUTAGE("broker outage");

	private final String label;

	Cause(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	/**
	 * Whether duplicates of this cause fail a run under {@code --strict-duplicates}.
	 * @return true for graceful causes
	 */
	boolean graceful() {
		return this == SIGTERM || this == REBALANCE;
	}

}
