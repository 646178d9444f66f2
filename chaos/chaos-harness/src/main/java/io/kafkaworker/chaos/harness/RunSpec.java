package io.kafkaworker.chaos.harness;

import java.util.List;
import java.util.Locale;

/**
 * One run: a delivery guarantee and mode, how the handler records its effect, and what
 * happens to a record whose attempts are used up.
 *
 * @param name the run's name on the command line
 * @param mode the worker's mode
 * @param delivery the worker's delivery guarantee
 * @param store the exactly-once store, or null
 * @param effect {@code send}, {@code transactional} or {@code row} (see the worker's
 * {@code Effect})
 * @param onFailure {@code DEAD_LETTER}, or {@code FREEZE} with the harness as operator
 */
record RunSpec(String name, String mode, String delivery, String store, String effect, String onFailure) {

	static final List<RunSpec> ALL = List.of(
			new RunSpec("key", "KEY", "AT_LEAST_ONCE", null, "send", "FREEZE"),
			new RunSpec("partition", "PARTITION", "AT_LEAST_ONCE", null, "send", "DEAD_LETTER"),
			new RunSpec("parallel", "PARALLEL", "AT_LEAST_ONCE", null, "send", "FREEZE"),
			new RunSpec("eos-kafka", "KEY", "EXACTLY_ONCE", "KAFKA", "transactional", "DEAD_LETTER"),
			new RunSpec("eos-jdbc", "KEY", "EXACTLY_ONCE", "JDBC", "row", "FREEZE"));

	static RunSpec named(String name) {
		return ALL.stream()
			.filter((spec) -> spec.name().equals(name.trim().toLowerCase(Locale.ROOT)))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown run " + name + "; runs: "
					+ ALL.stream().map(RunSpec::name).toList()));
	}

	boolean exactlyOnce() {
		return this.delivery.equals("EXACTLY_ONCE");
	}

	boolean ordered() {
		return !this.mode.equals("PARALLEL");
	}

	boolean freezes() {
		return this.onFailure.equals("FREEZE");
	}

	boolean rows() {
		return this.effect.equals("row");
	}

	String label() {
		return this.delivery + " " + this.mode + ((this.store != null) ? " " + this.store : "");
	}

}
