package io.kafkaworker.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A benchmark scenario with its parameters, already resolved for quick or full runs and
 * for the command line's overrides.
 *
 * @param id P1, P2, ...
 * @param title what the scenario measures
 * @param records records seeded
 * @param partitions partitions of the topic
 * @param keys distinct keys (besides the hot key)
 * @param valueBytes size of each value
 * @param workMillis per-record work (a sleep), 0 for none
 * @param concurrency kafka-worker's concurrency and Parallel Consumer's maxConcurrency
 * @param hotPercent percentage of records with the hot key, 0 for none
 * @param failPartition the partition whose records fail from {@code failFrom} on, or -1
 * for none
 * @param failFrom the first failing offset of {@code failPartition}
 * @param retryInitialMs the first wait between attempts at a failing record, for every
 * contender that retries
 * @param retryMaxMs the longest wait between attempts, for the contenders that retry
 * forever
 * @param budgetSeconds longest time a contender may run from its first record
 * @param maxHeap -Xmx of every contender, or null for the JVM's default
 * @param java25 whether contenders run on JDK 25 with virtual threads
 * @param contenders the contenders run, in order
 * @param placeholder why the scenario is not run, or null when it is
 * @param reducedFrom the specified record count when the quick run uses fewer, else 0
 * @param instances the JVMs each contender runs as, at once and in one group (a fleet,
 * see {@link Fleet}); 1 for one JVM
 */
record Scenario(String id, String title, int records, int partitions, int keys, int valueBytes, int workMillis,
		int concurrency, int hotPercent, int failPartition, long failFrom, int retryInitialMs, int retryMaxMs,
		int budgetSeconds, String maxHeap, boolean java25, List<Contender> contenders, String placeholder,
		int reducedFrom, int instances) {

	static final String HOT_KEY = "hot";

	/**
	 * Every scenario, in order, for quick or full runs, with overrides applied.
	 * @param quick quick defaults
	 * @param overrides parameter overrides by name (records, partitions, keys,
	 * value-bytes, work-ms, concurrency, hot-percent, fail-partition, fail-from,
	 * retry-initial-ms, retry-max-ms, budget, max-heap, instances)
	 * @return the scenarios
	 */
	static List<Scenario> all(boolean quick, Map<String, String> overrides) {
		List<Contender> standard = Contender.standard();
		// P1 and P2 also measure what delivery EXACTLY_ONCE costs against AT_LEAST_ONCE,
		// with the same work and the same output record.
		List<Contender> withOutput = new ArrayList<>(standard);
		withOutput.addAll(Contender.sending());
		// And what observing every handler call costs.
		withOutput.addAll(Contender.observing());
		// P6 also runs the raw consumer handing each record to its own virtual thread:
		// what sleeping on virtual threads costs on this machine, without an engine.
		List<Contender> withVirtualThreads = new ArrayList<>(standard);
		withVirtualThreads.add(1, Contender.rawVirtualThreads());
		return List.of(
				scenario("P1", "I/O-bound: 10 ms per record", 50_000, 50_000, 6, 1_000, 100, 10, 256, 0, -1, 0,
						quick ? 30 : 600, null, false, withOutput, null, overrides),
				scenario("P2", "zero work: consumption and engine overhead", 1_000_000, 1_000_000, 8, 1_000, 100, 0, 16,
						0, -1, 0, quick ? 120 : 600, null, false, withOutput, null, overrides),
				scenario("P3", "hot key: 50% of records on one key, rate of the other keys", quick ? 6_000 : 50_000,
						50_000, 6, 1_000, 100, 10, 256, 50, -1, 0, quick ? 60 : 900, null, false, standard, null,
						overrides),
				scenario("P4", "frozen partition: P1 with partition 0 failing for good, rate of the other partitions",
						50_000, 50_000, 6, 1_000, 100, 10, 256, 0, 0, 100, quick ? 30 : 600, null, false, standard,
						null, overrides),
				scenario("P5", "bounded memory: P2 with -Xmx256m", 1_000_000, 1_000_000, 8, 1_000, 100, 0, 16, 0, -1, 0,
						quick ? 120 : 600, "256m", false, standard, null, overrides),
				scenario("P6", "virtual threads: P1 on JDK 25, concurrency 5,000, 10,000 keys",
						quick ? 100_000 : 500_000, 500_000, 6, 10_000, 100, 10, 5_000, 0, -1, 0, quick ? 30 : 600, null,
						true, withVirtualThreads, null, overrides),
				// P7: a per-key counter, stateful against stateless and against Kafka
				// Streams, on P1's data (10 ms of work) and on P2's (none). Kafka Streams,
				// bound by 6 partitions x 10 ms, needs about 85 s for P1's 50,000 records:
				// hence the longer budget. Quick: 100,000 records without work (the
				// stateful AT_LEAST_ONCE contender waits for each table write, a few
				// thousand per second at concurrency 16).
				scenario("P7-WORK", "stateful, 10 ms: per-key count on P1's data", 50_000, 50_000, 6, 1_000, 100, 10,
						256, 0, -1, 0, quick ? 150 : 600, null, false, Contender.stateful(), null, overrides),
				scenario("P7-ZERO", "stateful, zero work: per-key count on P2's data", quick ? 100_000 : 1_000_000,
						1_000_000, 8, 1_000, 100, 0, 16, 0, -1, 0, quick ? 180 : 600, null, false,
						Contender.stateful(), null, overrides),
				// P8: each contender as 3 JVMs on 2 partitions, 10 ms of work. A consumer
				// group gives a partition to one JVM, so one of the three idles; a share
				// group gives every JVM records of both. Concurrency 16 per JVM: one JVM
				// (1,600/s) cannot reach the fleet's limit (3 x 16 / 10 ms = 4,800/s).
				scenario("P8", "scale-out: 3 JVMs on 2 partitions, share group against consumer group",
						quick ? 20_000 : 200_000, 200_000, 2, 1_000, 100, 10, 16, 0, -1, 0, quick ? 60 : 600, null,
						false, Contender.fleet(), null, overrides, 3));
	}

	/**
	 * Return whether a scenario is selected by one of the ids given on the command line:
	 * its own id, or the id of its family ({@code P7} selects {@code P7-WORK} and
	 * {@code P7-ZERO}).
	 * @param ids the ids given
	 * @return true if selected
	 */
	boolean selectedBy(java.util.Collection<String> ids) {
		int dash = this.id.indexOf('-');
		return ids.contains(this.id) || (dash > 0 && ids.contains(this.id.substring(0, dash)));
	}

	private static Scenario scenario(String id, String title, int records, int specifiedRecords, int partitions,
			int keys, int valueBytes, int workMillis, int concurrency, int hotPercent, int failPartition,
			long failFrom, int budgetSeconds, String maxHeap, boolean java25, List<Contender> contenders,
			String placeholder, Map<String, String> overrides) {
		return scenario(id, title, records, specifiedRecords, partitions, keys, valueBytes, workMillis, concurrency,
				hotPercent, failPartition, failFrom, budgetSeconds, maxHeap, java25, contenders, placeholder, overrides,
				1);
	}

	private static Scenario scenario(String id, String title, int records, int specifiedRecords, int partitions,
			int keys, int valueBytes, int workMillis, int concurrency, int hotPercent, int failPartition,
			long failFrom, int budgetSeconds, String maxHeap, boolean java25, List<Contender> contenders,
			String placeholder, Map<String, String> overrides, int instances) {
		int resolvedRecords = intOption(overrides, "records", records);
		int resolvedPartitions = intOption(overrides, "partitions", partitions);
		int resolvedHotPercent = intOption(overrides, "hot-percent", hotPercent);
		int resolvedFailPartition = intOption(overrides, "fail-partition", failPartition);
		if (resolvedFailPartition >= resolvedPartitions) {
			throw new IllegalArgumentException(id + ": fail-partition " + resolvedFailPartition + " does not exist ("
					+ resolvedPartitions + " partitions)");
		}
		if (resolvedFailPartition >= 0 && resolvedHotPercent > 0) {
			// The probe counts the measured records from the hot records and the failing
			// partition's size; it cannot tell how many hot records the partition holds.
			throw new IllegalArgumentException(id + ": a hot key and a failing partition cannot be combined");
		}
		int resolvedInstances = intOption(overrides, "instances", instances);
		if (resolvedInstances < 1) {
			throw new IllegalArgumentException(id + ": instances must be 1 or more");
		}
		return new Scenario(id, title, resolvedRecords, resolvedPartitions, intOption(overrides, "keys", keys),
				intOption(overrides, "value-bytes", valueBytes), intOption(overrides, "work-ms", workMillis),
				intOption(overrides, "concurrency", concurrency), resolvedHotPercent, resolvedFailPartition,
				intOption(overrides, "fail-from", (int) failFrom), intOption(overrides, "retry-initial-ms", 10),
				intOption(overrides, "retry-max-ms", 1_000), intOption(overrides, "budget", budgetSeconds),
				overrides.getOrDefault("max-heap", maxHeap), java25, contenders, placeholder,
				(resolvedRecords < specifiedRecords) ? specifiedRecords : 0, resolvedInstances);
	}

	private static int intOption(Map<String, String> overrides, String name, int fallback) {
		String value = overrides.get(name);
		return (value != null) ? Integer.parseInt(value.replace("_", "").replace(",", "")) : fallback;
	}

	/**
	 * Refuse several instances where some records are not measured: a fleet is measured
	 * on all its records ({@link FleetResults}). Checked for the selected scenarios only,
	 * as {@code --instances} applies to every scenario.
	 * @throws IllegalArgumentException with a hot key or a failing partition
	 */
	void checkInstances() {
		if (this.instances > 1 && (this.hotPercent > 0 || hasFailingPartition())) {
			throw new IllegalArgumentException(
					this.id + ": several instances cannot be combined with a hot key or a failing partition");
		}
	}

	boolean runnable() {
		return this.placeholder == null;
	}

	/**
	 * Return the rate no contender can pass by design: concurrency over work time (times
	 * the JVMs of a fleet, each with that concurrency), or none for zero work.
	 * @return records per second, or 0 when only the consumption limit applies
	 */
	double concurrencyLimit() {
		return (this.workMillis > 0) ? this.instances * this.concurrency * 1000.0 / this.workMillis : 0;
	}

	/**
	 * Return whether one partition fails from an offset on.
	 * @return true in the frozen-partition scenario
	 */
	boolean hasFailingPartition() {
		return this.failPartition >= 0;
	}

	/**
	 * Return the number of records with the hot key.
	 * @return the hot records
	 */
	int hotRecords() {
		return (int) ((long) this.records * this.hotPercent / 100);
	}

	String describe() {
		StringBuilder text = new StringBuilder();
		text.append(String.format("%,d records", this.records));
		if (this.reducedFrom > 0) {
			text.append(String.format(" (quick: reduced from %,d)", this.reducedFrom));
		}
		text.append(String.format(", %d partitions, %,d keys", this.partitions, this.keys));
		if (this.hotPercent > 0) {
			text.append(String.format(" + hot key on %d%%", this.hotPercent));
		}
		if (hasFailingPartition()) {
			text.append(String.format(", partition %d fails from offset %,d on (retry back-off from %d ms)",
					this.failPartition, this.failFrom, this.retryInitialMs));
		}
		text.append(String.format(", %d B values, work %s, concurrency %,d, budget %d s", this.valueBytes,
				(this.workMillis > 0) ? this.workMillis + " ms" : "none", this.concurrency, this.budgetSeconds));
		if (this.maxHeap != null) {
			text.append(", -Xmx").append(this.maxHeap);
		}
		if (this.java25) {
			text.append(", JDK 25, virtual threads for kafka-worker");
		}
		if (this.instances > 1) {
			text.append(String.format(", each contender %d JVMs at once in one group (concurrency per JVM)",
					this.instances));
		}
		return text.toString();
	}

}
