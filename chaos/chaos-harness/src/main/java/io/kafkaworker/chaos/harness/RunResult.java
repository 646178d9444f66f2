package io.kafkaworker.chaos.harness;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures and checks of one run.
 */
final class RunResult {

	final RunSpec spec;

	Map<Fault, Integer> faults = new EnumMap<>(Fault.class);

	long produced;

	long handled;

	long handlings;

	long lost;

	long outOfOrder;

	final Map<Cause, Long> duplicates = new EnumMap<>(Cause.class);

	long deadLettered;

	long operatorSkips;

	long endLag = -1;

	/**
	 * The longest time between a record's handling by an incarnation killed with SIGKILL
	 * and the kill, among the records that ran again; -1 if none did.
	 */
	long oldestKillDuplicateMillis = -1;

	int incarnations;

	int unexpectedExits;

	int stalls;

	long seconds;

	/** Check name to whether it passed; null when the check does not apply. */
	final Map<String, Boolean> checks = new LinkedHashMap<>();

	/** The first examples of each violation, for the report. */
	final Map<String, String> examples = new LinkedHashMap<>();

	RunResult(RunSpec spec) {
		this.spec = spec;
		for (Cause cause : Cause.values()) {
			this.duplicates.put(cause, 0L);
		}
	}

	long duplicateTotal() {
		return this.duplicates.values().stream().mapToLong(Long::longValue).sum();
	}

	long gracefulDuplicates() {
		return this.duplicates.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().graceful())
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	boolean passed() {
		return !this.checks.containsValue(Boolean.FALSE);
	}

	void example(String check, String text) {
		this.examples.merge(check, text, (old, added) -> (old.length() > 600) ? old : old + "; " + added);
	}

}
