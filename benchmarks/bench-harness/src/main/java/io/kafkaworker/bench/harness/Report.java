package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run: a table per scenario, a CSV with every figure, and a PNG chart.
 * Every ratio compares figures of this run only.
 */
final class Report {

	/**
	 * The ratios a scenario family's table ends with: numerator, denominator (contender
	 * ids).
	 */
	private static final Map<String, String[][]> RATIOS = Map.of("P7",
			new String[][] { { "worker-key-table", "worker-key" }, { "worker-key-table-eos", "worker-key" },
					{ "worker-key", Contender.STREAMS }, { "worker-key-table", Contender.STREAMS },
					{ "worker-key-table-eos", Contender.STREAMS } },
			"P8", new String[][] { { "worker-parallel-share", "worker-parallel" } });

	private final String runId;

	private final boolean quick;

	private final String environment;

	private final Map<Scenario, List<Outcome>> outcomes = new LinkedHashMap<>();

	private final Map<Scenario, String> notRun = new LinkedHashMap<>();

	// With --repeat: every run of each contender, in round order.
	private final Map<Scenario, Map<Contender, List<Outcome>>> runs = new LinkedHashMap<>();

	private final Map<Scenario, String> loadAtStart = new LinkedHashMap<>();

	Report(String runId, boolean quick, String environment) {
		this.runId = runId;
		this.quick = quick;
		this.environment = environment;
	}

	void add(Scenario scenario, List<Outcome> scenarioOutcomes) {
		this.outcomes.put(scenario, scenarioOutcomes);
	}

	/**
	 * Keep every run of each contender of a scenario run with {@code --repeat}; the table
	 * lists them below the representatives given to {@link #add}.
	 * @param scenario the scenario
	 * @param contenderRuns each contender's runs, in round order
	 */
	void runs(Scenario scenario, Map<Contender, List<Outcome>> contenderRuns) {
		this.runs.put(scenario, contenderRuns);
	}

	/**
	 * Return the run of a contender that stands for all of its runs: the first that did
	 * not complete, if any (a failure must show), else the one with the median rate (the
	 * lower of the two middle ones).
	 * @param contenderRuns the runs, at least one
	 * @return the representative run
	 */
	static Outcome representative(List<Outcome> contenderRuns) {
		for (Outcome outcome : contenderRuns) {
			if (!outcome.completed()) {
				return outcome;
			}
		}
		List<Outcome> byRate = new ArrayList<>(contenderRuns);
		byRate.sort(Comparator.comparingDouble(Outcome::rate));
		return byRate.get((byRate.size() - 1) / 2);
	}

	void loadAtStart(Scenario scenario, String load) {
		this.loadAtStart.put(scenario, load);
	}

	void placeholder(Scenario scenario, String reason) {
		this.notRun.put(scenario, reason);
	}

	Map<Scenario, List<Outcome>> outcomes() {
		return this.outcomes;
	}

	/**
	 * Return the rate no contender can pass in a scenario: the concurrency limit (where
	 * records have work) or the zero-work raw consumer's rate, whichever is lower.
	 * @param scenario the scenario
	 * @return records per second, or 0 if unknown
	 */
	double limit(Scenario scenario) {
		return limit(scenario, consumptionLimit(scenario));
	}

	// The lower of the concurrency limit and a zero-work consumption rate, whichever of
	// them is known (0 when neither is).
	private static double limit(Scenario scenario, double consumption) {
		double concurrencyLimit = scenario.concurrencyLimit();
		if (concurrencyLimit > 0 && consumption > 0) {
			return Math.min(concurrencyLimit, consumption);
		}
		return Math.max(concurrencyLimit, consumption);
	}

	private double consumptionLimit(Scenario scenario) {
		for (Outcome outcome : this.outcomes.getOrDefault(scenario, List.of())) {
			if (outcome.contender().isLimit() && outcome.completed()) {
				// The zero-work consumer's rate of all records: the hot key costs it
				// nothing.
				return outcome.allRate();
			}
		}
		return 0;
	}

	private String limitText(Scenario scenario) {
		double concurrencyLimit = scenario.concurrencyLimit();
		double consumption = consumptionLimit(scenario);
		StringBuilder text = new StringBuilder();
		text.append(String.format("limit %,.0f/s", limit(scenario)));
		List<String> parts = new ArrayList<>();
		if (concurrencyLimit > 0) {
			parts.add(String.format("concurrency/work %,.0f/s", concurrencyLimit));
		}
		parts.add((consumption > 0) ? String.format("zero-work raw consumer %,.0f/s", consumption)
				: "zero-work raw consumer not measured");
		text.append(" = min(").append(String.join(", ", parts)).append(")");
		return text.toString();
	}

	Double ratioToLimit(Scenario scenario, Outcome outcome) {
		double limit = limit(scenario);
		return (outcome.completed() && limit > 0) ? outcome.rate() / limit : null;
	}

	Double ratioToParallelConsumer(Scenario scenario, Outcome outcome) {
		Outcome pc = comparable(scenario, outcome);
		if (pc == null || !pc.completed() || !outcome.completed() || pc.rate() <= 0) {
			return null;
		}
		return outcome.rate() / pc.rate();
	}

	private Outcome comparable(Scenario scenario, Outcome outcome) {
		String id = outcome.contender().comparableTo();
		return (id != null) ? outcome(scenario, id) : null;
	}

	private String ratioToParallelConsumerText(Scenario scenario, Outcome outcome) {
		Double ratio = ratioToParallelConsumer(scenario, outcome);
		if (ratio != null) {
			return String.format("%.2f (vs %s)", ratio, outcome.contender().comparableTo());
		}
		Outcome pc = comparable(scenario, outcome);
		if (pc == null) {
			return "";
		}
		return "n/a (" + (pc.completed() ? "" : pc.contender().id() + " " + pc.status())
				+ (!pc.completed() && !outcome.completed() ? ", " : "") + (outcome.completed() ? "" : outcome.status())
				+ ")";
	}

	String table(Scenario scenario) {
		StringBuilder text = new StringBuilder();
		text.append(String.format("%s %s%n", scenario.id(), scenario.title()));
		text.append(String.format("  %s%n", scenario.describe()));
		text.append(String.format("  %s%n", limitText(scenario)));
		if (this.loadAtStart.containsKey(scenario)) {
			text.append(String.format("  load average at start: %s; other CPU = cores other programs used while each "
					+ "contender ran, of %d%n", this.loadAtStart.get(scenario), Runtime.getRuntime().availableProcessors()));
		}
		if (scenario.hotPercent() > 0) {
			text.append("  rate, p50 and p99 are those of the records whose key is not the hot key\n");
		}
		if (scenario.hasFailingPartition()) {
			text.append(String.format("  rate, p50 and p99 are those of the records of the other partitions; every call on "
					+ "a record of partition %d from offset %,d on throws after its work%n", scenario.failPartition(),
					scenario.failFrom()));
			text.append("  missing and dup count every other record (they must each be handled exactly once); "
					+ "duplicates fail the check here\n");
		}
		if (scenario.instances() > 1) {
			text.append(String.format(
					"  each contender ran as %d JVMs at once: rate = records handled by all of them / (end of the "
							+ "last record any JVM handled - start of the first any JVM began); RSS and heap are the "
							+ "largest JVM's; dup counts a record handled by two JVMs too%n",
					scenario.instances()));
		}
		String format = "  %-19s %-32s %7s %-26s %8s %8s %7s %13s %8s %6s %9s %9s%n";
		text.append(String.format(format, "contender", "rate", "x limit", "x Parallel Consumer", "p50 ms", "p99 ms",
				"RSS MB", "heap MB pk/gc", "missing", "dup", "other CPU", "CPU us/rec"));
		for (Outcome outcome : this.outcomes.getOrDefault(scenario, List.of())) {
			Double ratio = ratioToLimit(scenario, outcome);
			text.append(String.format(format, outcome.contender().id(), outcome.rateText(),
					(ratio != null) ? String.format("%.2f", ratio) : "-",
					ratioToParallelConsumerText(scenario, outcome), millis(outcome.p50Millis()),
					millis(outcome.p99Millis()), String.format("%.0f", outcome.peakRssMb()),
					String.format("%.0f/%.0f", outcome.peakHeapMb(), outcome.peakHeapAfterGcMb()),
					String.format("%,d", outcome.missing()), String.format("%,d", outcome.duplicates()),
					(outcome.otherCores() < 0) ? "-" : String.format("%.2f", outcome.otherCores()),
					(outcome.cpuMicrosPerRecord() < 0) ? "-" : String.format("%.2f", outcome.cpuMicrosPerRecord())));
		}
		if (scenario.instances() > 1) {
			text.append("  records each JVM handled (for the first time in that JVM) and its rate from its first "
					+ "record to its last, in start order:\n");
			for (Outcome outcome : this.outcomes.getOrDefault(scenario, List.of())) {
				text.append(String.format("    %-21s %s%n", outcome.contender().id(),
						String.join(" / ", outcome.members().stream().map(Report::member).toList())));
			}
		}
		Map<Contender, List<Outcome>> contenderRuns = this.runs.get(scenario);
		if (contenderRuns != null) {
			text.append(runsText(scenario, contenderRuns));
		}
		String[][] pairs = RATIOS.get(scenario.id().split("-")[0]);
		if (pairs != null) {
			text.append("  ratios (rates of this run; n/a when either did not complete):\n");
			for (String[] pair : pairs) {
				Outcome numerator = outcome(scenario, pair[0]);
				Outcome denominator = outcome(scenario, pair[1]);
				if (numerator == null || denominator == null) {
					continue;
				}
				boolean both = numerator.completed() && denominator.completed() && denominator.rate() > 0;
				text.append(String.format("    %-21s / %-17s %s%n", pair[0], pair[1],
						both ? String.format("%.2f", numerator.rate() / denominator.rate()) : "n/a"));
			}
		}
		if (scenario.hasFailingPartition()) {
			text.append(String.format("  the failing partition %d: calls on its failing records (retries included), "
					+ "failing records called, and the group's committed offset read from the broker after the "
					+ "contender stopped (%,d = the first failing record)%n", scenario.failPartition(),
					scenario.failFrom()));
			String failingFormat = "  %-19s %14s %16s %17s%n";
			text.append(String.format(failingFormat, "contender", "failing calls", "records called", "committed offset"));
			for (Outcome outcome : this.outcomes.getOrDefault(scenario, List.of())) {
				text.append(String.format(failingFormat, outcome.contender().id(),
						outcome.contender().isLimit() ? "- (no failures)" : String.format("%,d", outcome.failingCalls()),
						outcome.contender().isLimit() ? "-" : String.format("%,d", outcome.failingTried()),
						committedText(outcome.failingCommitted())));
			}
		}
		return text.toString();
	}

	// Each run's rate and its ratio to the limit of its round (each round runs every
	// contender once): the zero-work raw consumer's run of that round, or the
	// concurrency limit where lower, as the table's "x limit"; the table above shows the
	// median run.
	private static String runsText(Scenario scenario, Map<Contender, List<Outcome>> contenderRuns) {
		List<Outcome> limitRuns = contenderRuns.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isLimit())
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(List.of());
		StringBuilder text = new StringBuilder();
		text.append(String.format("  the table shows each contender's median run of %d; every run, round by round "
				+ "(rate, and x the limit of its round: the zero-work raw consumer's run of that round, or the "
				+ "concurrency limit where lower):%n",
				contenderRuns.values().iterator().next().size()));
		for (Map.Entry<Contender, List<Outcome>> entry : contenderRuns.entrySet()) {
			List<String> parts = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			for (int round = 0; round < entry.getValue().size(); round++) {
				Outcome outcome = entry.getValue().get(round);
				Outcome limitRun = (round < limitRuns.size()) ? limitRuns.get(round) : null;
				boolean both = outcome.completed() && limitRun != null && limitRun.completed()
						&& limitRun.allRate() > 0;
				String ratioText = "";
				if (both) {
					double ratio = outcome.rate() / limit(scenario, limitRun.allRate());
					ratios.add(ratio);
					ratioText = String.format(" %.2f", ratio);
				}
				parts.add(outcome.rateText() + ratioText);
			}
			String median = "";
			if (ratios.size() == entry.getValue().size() && !entry.getKey().isLimit()) {
				ratios.sort(Comparator.naturalOrder());
				median = String.format("  (median x %.2f, %.2f to %.2f)", ratios.get((ratios.size() - 1) / 2),
						ratios.get(0), ratios.get(ratios.size() - 1));
			}
			text.append(String.format("    %-21s %s%s%n", entry.getKey().id(), String.join(" · ", parts), median));
		}
		return text.toString();
	}

	private Outcome outcome(Scenario scenario, String contenderId) {
		for (Outcome candidate : this.outcomes.getOrDefault(scenario, List.of())) {
			if (candidate.contender().id().equals(contenderId)) {
				return candidate;
			}
		}
		return null;
	}

	private static String committedText(long committed) {
		if (committed == Outcome.NONE_COMMITTED) {
			return "none";
		}
		return (committed == Outcome.NOT_READ) ? "not read" : String.format("%,d", committed);
	}

	private static String member(Outcome.Member member) {
		if (member.handled() < 0) {
			return "no result";
		}
		return String.format("%,d", member.handled())
				+ ((member.rate() > 0) ? String.format(" (%,.0f/s)", member.rate()) : "");
	}

	private static String millis(long value) {
		return (value < 0) ? "-" : String.format("%,d", value);
	}

	void write(Path directory) throws IOException {
		Files.createDirectories(directory);
		StringBuilder tables = new StringBuilder(this.environment).append(System.lineSeparator());
		for (Scenario scenario : this.outcomes.keySet()) {
			tables.append(table(scenario)).append(System.lineSeparator());
		}
		for (Map.Entry<Scenario, String> entry : this.notRun.entrySet()) {
			tables.append(String.format("%s %s: %s%n", entry.getKey().id(), entry.getKey().title(), entry.getValue()));
		}
		Files.writeString(directory.resolve("results.txt"), tables, StandardCharsets.UTF_8);
		Files.writeString(directory.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
		if (!this.outcomes.isEmpty()) {
			Chart.draw(this, directory.resolve("results.png"), this.runId + (this.quick ? " (quick)" : " (full)"));
		}
	}

	private String csv() {
		StringBuilder csv = new StringBuilder();
		csv.append("run,mode,scenario,contender,family,ordering,status,detail,java,records,handled,missing,duplicates,"
				+ "elapsed_s,rate_per_s,all_records_rate_per_s,limit_per_s,ratio_to_limit,parallel_consumer_comparable,"
				+ "ratio_to_parallel_consumer,p50_ms,p99_ms,peak_rss_mb,peak_heap_mb,peak_heap_after_gc_mb,"
				+ "startup_s,scenario_parameters,failing_calls,failing_records_called,failing_partition_committed,"
				+ "other_programs_cores,load_average_at_scenario_start,instances,handled_per_instance,"
				+ "rate_per_instance,cpu_us_per_record\n");
		for (Map.Entry<Scenario, List<Outcome>> entry : this.outcomes.entrySet()) {
			Scenario scenario = entry.getKey();
			for (Outcome outcome : entry.getValue()) {
				Contender contender = outcome.contender();
				Double ratio = ratioToLimit(scenario, outcome);
				Double pcRatio = ratioToParallelConsumer(scenario, outcome);
				csv.append(String.join(",", this.runId, this.quick ? "quick" : "full", scenario.id(), contender.id(),
						contender.family(), nullToEmpty(contender.mode()), outcome.status(), quote(outcome.detail()),
						nullToEmpty(outcome.java()), Long.toString(outcome.expected()),
						Long.toString(outcome.handled()), Long.toString(outcome.missing()),
						Long.toString(outcome.duplicates()), number(outcome.elapsedSeconds(), 3),
						number(outcome.rate(), 1), number(outcome.allRate(), 1), number(limit(scenario), 1),
						(ratio != null) ? number(ratio, 4) : "", nullToEmpty(contender.comparableTo()),
						(pcRatio != null) ? number(pcRatio, 4) : "", Long.toString(outcome.p50Millis()),
						Long.toString(outcome.p99Millis()), number(outcome.peakRssMb(), 1),
						number(outcome.peakHeapMb(), 1), number(outcome.peakHeapAfterGcMb(), 1),
						number(outcome.startupSeconds(), 2), quote(scenario.describe()),
						scenario.hasFailingPartition() ? Long.toString(outcome.failingCalls()) : "",
						scenario.hasFailingPartition() ? Long.toString(outcome.failingTried()) : "",
						scenario.hasFailingPartition() ? committedText(outcome.failingCommitted()).replace(",", "")
								: "",
						number(outcome.otherCores(), 2), quote(this.loadAtStart.getOrDefault(scenario, "")),
						Integer.toString(scenario.instances()),
						String.join(" ",
								outcome.members().stream().map((member) -> Long.toString(member.handled())).toList()),
						String.join(" ",
								outcome.members().stream().map((member) -> number(member.rate(), 1)).toList()),
						(outcome.cpuMicrosPerRecord() >= 0) ? number(outcome.cpuMicrosPerRecord(), 3) : ""));
				csv.append('\n');
			}
		}
		for (Map.Entry<Scenario, String> entry : this.notRun.entrySet()) {
			csv.append(String.join(",", this.runId, this.quick ? "quick" : "full", entry.getKey().id(), "", "", "",
					"NOT_RUN", quote(entry.getValue())));
			csv.append(",".repeat(28)).append('\n');
		}
		return csv.toString();
	}

	private static String number(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}

	private static String quote(String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
