package io.kafkaworker.bench.harness;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one benchmark command (run by {@code benchmarks/run.sh}).
 *
 * <pre>
 * run.sh [--scenario P1,P2,...] [--quick|--full] [--contenders id,id,...]
 *        [--records=N] [--partitions=N] [--keys=N] [--value-bytes=N] [--work-ms=N]
 *        [--concurrency=N] [--hot-percent=N] [--fail-partition=N] [--fail-from=OFFSET]
 *        [--retry-initial-ms=N] [--retry-max-ms=N] [--budget=SECONDS] [--max-heap=SIZE]
 *        [--instances=N] [--worker.NAME=VALUE ...] [--profile[=JFC]] [--wait-quiet[=CORES]] [--java25=PATH]
 *        [--results-dir=DIR]
 * </pre>
 */
public final class Harness {

	private static final String DEFAULT_JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

	private static final long STARTUP_TIMEOUT_SECONDS = 120;

	private static final double DEFAULT_QUIET_CORES = 0.25;

	private static final long QUIET_SAMPLE_SECONDS = 10;

	private static final long QUIET_MAX_WAIT_SECONDS = 1_800;

	/** With --wait-quiet: a contender is run again if other programs used more. */
	private static final double DISTURBED_CORES = 0.5;

	private static final int MAX_ATTEMPTS = 3;

	// --profile's settings: the JDK's "profile", started with jdk.ThreadSleep off. The
	// scenarios' work is a sleep at that event's 10 ms threshold, so it recorded one
	// event with a stack per record (3,000,000 in a P6 of that many records), slowing
	// the profiled run and filling the recording with nothing but the work itself.
	private static final String DEFAULT_PROFILE = "profile";

	/** Where kafka-worker's own jars sit in a Maven repository. */
	private static final String ENGINE_JARS = File.separator + String.join(File.separator, "io", "kafkaworker", "")
			+ "kafka-worker-";

	private final Path home;

	private final boolean quick;

	private final Set<String> scenarioIds;

	private final Set<String> contenderIds;

	private final Map<String, String> overrides;

	private final List<String> workerExtras;

	private final List<String> springProperties;

	// JFR settings (a name or a .jfc file) for --profile, null without it.
	private final String profile;

	/** Cores other programs may use before a contender starts, or a negative number. */
	private final double quietCores;

	/** Runs of each contender per scenario, in rounds over the contenders. */
	private final int repeat;

	private final String java;

	private final String java25;

	private final String runId;

	private final Path workDir;

	private final Path resultsDir;

	private Harness(Path home, boolean quick, Set<String> scenarioIds, Set<String> contenderIds,
			Map<String, String> overrides, List<String> workerExtras, List<String> springProperties, String profile,
			double quietCores, int repeat, String java25, Path resultsDir) {
		this.home = home;
		this.quick = quick;
		this.scenarioIds = scenarioIds;
		this.contenderIds = contenderIds;
		this.overrides = overrides;
		this.workerExtras = workerExtras;
		this.springProperties = springProperties;
		this.profile = profile;
		this.quietCores = quietCores;
		this.repeat = repeat;
		this.java = ProcessHandle.current().info().command().orElse("java");
		this.java25 = java25;
		this.runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		this.workDir = home.resolve("work").resolve(this.runId);
		this.resultsDir = (resultsDir != null) ? resultsDir : home.resolve("results").resolve(this.runId);
	}

	public static void main(String[] args) throws Exception {
		Path home = Path.of(System.getProperty("bench.home", "benchmarks")).toAbsolutePath().normalize();
		boolean quick = true;
		Set<String> scenarios = new LinkedHashSet<>();
		Set<String> contenders = new LinkedHashSet<>();
		Map<String, String> overrides = new LinkedHashMap<>();
		List<String> workerExtras = new ArrayList<>();
		List<String> springProperties = new ArrayList<>();
		String profile = null;
		double quietCores = -1;
		int repeat = 1;
		String java25 = DEFAULT_JAVA25;
		Path resultsDir = null;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--quick")) {
				quick = true;
			}
			else if (arg.equals("--full")) {
				quick = false;
			}
			else if (arg.equals("--profile")) {
				profile = DEFAULT_PROFILE;
			}
			else if (arg.startsWith("--profile=")) {
				profile = value(arg);
			}
			else if (arg.equals("--wait-quiet")) {
				quietCores = DEFAULT_QUIET_CORES;
			}
			else if (arg.startsWith("--wait-quiet=")) {
				quietCores = Double.parseDouble(value(arg));
			}
			else if (arg.equals("--scenario") || arg.equals("--scenarios")) {
				addAll(scenarios, args[++i].toUpperCase(Locale.ROOT));
			}
			else if (arg.startsWith("--scenario=") || arg.startsWith("--scenarios=")) {
				addAll(scenarios, value(arg).toUpperCase(Locale.ROOT));
			}
			else if (arg.equals("--contenders")) {
				addAll(contenders, args[++i]);
			}
			else if (arg.startsWith("--contenders=")) {
				addAll(contenders, value(arg));
			}
			else if (arg.startsWith("--repeat=")) {
				repeat = Integer.parseInt(value(arg));
				if (repeat < 1) {
					throw new IllegalArgumentException(arg + ": run each contender at least once");
				}
			}
			else if (arg.startsWith("--java25=")) {
				java25 = value(arg);
			}
			else if (arg.startsWith("--results-dir=")) {
				resultsDir = Path.of(value(arg)).toAbsolutePath();
			}
			else if (arg.startsWith("--worker.")) {
				workerExtras.add(arg.substring("--worker.".length()));
			}
			// Logging levels are Spring Boot properties too, outside the spring.* names.
			else if (arg.startsWith("--spring.") || arg.startsWith("--logging.level.")) {
				if (arg.indexOf('=') < 0) {
					throw new IllegalArgumentException(arg + ": a Spring Boot property needs a value (--spring.NAME=VALUE, "
							+ "--logging.level.NAME=LEVEL)");
				}
				if (arg.startsWith("--spring.kafka.bootstrap-servers=")) {
					throw new IllegalArgumentException(arg + ": the contenders use the harness's own broker");
				}
				springProperties.add(arg.substring("--".length()));
			}
			else if (arg.equals("--help") || arg.equals("-h")) {
				System.out.println(usage());
				return;
			}
			else if (arg.startsWith("--") && arg.contains("=")) {
				overrides.put(arg.substring(2, arg.indexOf('=')), value(arg));
			}
			else {
				System.err.println("Unknown argument: " + arg + System.lineSeparator() + usage());
				System.exit(2);
			}
		}
		Harness harness = new Harness(home, quick, scenarios, contenders, overrides, workerExtras, springProperties,
				profile, quietCores, repeat, java25, resultsDir);
		int status = harness.run();
		System.exit(status);
	}

	private static String usage() {
		return """
				Usage: benchmarks/run.sh [--scenario P1,P2,...] [--quick|--full] [--contenders id,...]
				         [--records=N] [--partitions=N] [--keys=N] [--value-bytes=N] [--work-ms=N]
				         [--concurrency=N] [--hot-percent=N] [--fail-partition=N] [--fail-from=OFFSET]
				         [--retry-initial-ms=N] [--retry-max-ms=N] [--budget=SECONDS] [--max-heap=SIZE]
				         [--instances=N] [--worker.NAME=VALUE ...] [--spring.NAME=VALUE ...] [--logging.level.NAME=LEVEL ...] [--profile[=JFC]] [--wait-quiet[=CORES]] [--java25=PATH]
				         [--repeat=N] [--results-dir=DIR]
				Scenarios: P1 I/O-bound, P2 zero work, P3 hot key, P4 frozen partition,
				           P5 bounded memory, P6 virtual threads, P7 stateful (P7-WORK 10 ms, P7-ZERO zero work),
				           P8 scale-out (3 JVMs per contender on 2 partitions, share group against consumer group).
				           Default: every runnable scenario, quick.
				Contenders: raw-zero-work, raw-per-partition, spring-kafka-batch, pc-partition, pc-key,
				            pc-unordered, worker-serial, worker-partition, worker-key, worker-parallel;
				            in P1 and P2 also worker-key-send, worker-key-eos, worker-parallel-eos;
				            in P7 worker-key, worker-key-table, worker-key-table-eos, streams-count;
				            in P8 worker-parallel, worker-parallel-share (each as 3 JVMs in one group);
				            with --instances=N above 1, only kafka-worker's (each as N JVMs in one group).
				""";
	}

	private static void addAll(Set<String> target, String list) {
		for (String item : list.split(",")) {
			if (!item.isBlank()) {
				target.add(item.trim());
			}
		}
	}

	private static String value(String arg) {
		return arg.substring(arg.indexOf('=') + 1);
	}

	private int run() throws Exception {
		List<Scenario> scenarios = Scenario.all(this.quick, this.overrides)
			.stream()
			.filter((scenario) -> this.scenarioIds.isEmpty() || scenario.selectedBy(this.scenarioIds))
			.toList();
		if (scenarios.isEmpty()) {
			System.err.println("No scenario matches " + this.scenarioIds);
			return 2;
		}
		scenarios.forEach(Scenario::checkInstances);
		Files.createDirectories(this.workDir);
		Files.createDirectories(this.resultsDir);
		pinEngineJars();
		String environment = environment();
		System.out.println(environment);
		Report report = new Report(this.runId, this.quick, environment);
		try (Broker broker = Broker.start(this.java, classpath("bench-broker"), this.workDir)) {
			System.out.printf("Broker ready at %s (pid %d), its own JVM%n%n", broker.bootstrap(), broker.pid());
			for (Scenario scenario : scenarios) {
				runScenario(broker, scenario, report);
			}
		}
		finally {
			ChildJvm.killAll();
			report.write(this.resultsDir);
			System.out.println("Results: " + this.resultsDir);
		}
		return 0;
	}

	private void runScenario(Broker broker, Scenario scenario, Report report) throws Exception {
		System.out.printf("=== %s %s%n", scenario.id(), scenario.title());
		if (!scenario.runnable()) {
			System.out.printf("    not run: %s%n%n", scenario.placeholder());
			report.placeholder(scenario, "not run: " + scenario.placeholder());
			return;
		}
		if (scenario.java25() && !Files.isExecutable(Path.of(this.java25))) {
			String reason = "skipped: no JDK 25 at " + this.java25 + " (set --java25=PATH)";
			System.out.printf("    %s%n%n", reason);
			report.placeholder(scenario, reason);
			return;
		}
		System.out.printf("    %s%n", scenario.describe());
		String load = loadAverage();
		System.out.printf("    load average at start: %s%n", load);
		report.loadAtStart(scenario, load);
		String topic = "bench-" + scenario.id().toLowerCase(Locale.ROOT) + "-" + this.runId;
		long seedStart = System.nanoTime();
		long seedStartWallMillis = System.currentTimeMillis();
		long[] endOffsets = broker.seed(scenario, topic, seedStartWallMillis);
		System.out.printf("    seeded %s: %,d records in %.1f s%n", topic, sum(endOffsets),
				(System.nanoTime() - seedStart) / 1e9);
		// The topic the sending contenders (worker-key-send, worker-key-eos, ...) write one
		// record per input record to; created here like the input topic, never read.
		String outputTopic = "bench-" + scenario.id().toLowerCase(Locale.ROOT) + "-out-" + this.runId;
		if (scenario.contenders()
			.stream()
			.anyMatch((contender) -> contender.sendsOutput()
					&& (this.contenderIds.isEmpty() || this.contenderIds.contains(contender.id())))) {
			broker.createTopic(outputTopic, scenario.partitions());
			System.out.printf("    created the output topic %s%n", outputTopic);
		}
		List<Contender> selected = new ArrayList<>();
		for (Contender contender : scenario.contenders()) {
			if (!this.contenderIds.isEmpty() && !this.contenderIds.contains(contender.id())) {
				continue;
			}
			if (scenario.instances() > 1 && !contender.runsAsFleet()) {
				System.out.printf("    %-20s not run: it runs as one JVM only%n", contender.id());
				continue;
			}
			selected.add(contender);
		}
		// With --repeat, the contenders run in rounds (each once per round), so that a drift
		// of the machine over the runs touches each of them alike.
		Map<Contender, List<Outcome>> runs = new LinkedHashMap<>();
		for (int round = 1; round <= this.repeat; round++) {
			for (Contender contender : selected) {
				Outcome outcome = runUndisturbed(broker, scenario, contender, topic, outputTopic, endOffsets,
						seedStartWallMillis, round);
				runs.computeIfAbsent(contender, (key) -> new ArrayList<>()).add(outcome);
				System.out.printf("    %-20s %s%s%n", contender.id(), summary(outcome),
						(this.repeat > 1) ? " (run " + round + " of " + this.repeat + ")" : "");
			}
		}
		List<Outcome> outcomes = new ArrayList<>();
		runs.values().forEach((contenderRuns) -> outcomes.add(Report.representative(contenderRuns)));
		report.add(scenario, outcomes);
		if (this.repeat > 1) {
			report.runs(scenario, runs);
		}
		System.out.println();
		System.out.println(report.table(scenario));
	}

	// With --wait-quiet, a contender that other programs disturbed runs again (a DNF needs
	// no second try), at most twice more; the least disturbed try counts, whatever its
	// rate.
	private Outcome runUndisturbed(Broker broker, Scenario scenario, Contender contender, String topic,
			String outputTopic, long[] endOffsets, long seedStartWallMillis, int round) throws Exception {
		Outcome outcome = runContender(broker, scenario, contender, topic, outputTopic, endOffsets, seedStartWallMillis,
				round, 1);
		for (int attempt = 2; attempt <= MAX_ATTEMPTS && this.quietCores >= 0
				&& outcome.otherCores() > DISTURBED_CORES && !Outcome.DNF.equals(outcome.status()); attempt++) {
			System.out.printf("    %-20s %s%n    (disturbed: other programs used %.2f cores; try %d)%n",
					contender.id(), summary(outcome), outcome.otherCores(), attempt);
			Outcome again = runContender(broker, scenario, contender, topic, outputTopic, endOffsets,
					seedStartWallMillis, round, attempt);
			if (again.otherCores() < outcome.otherCores()) {
				outcome = again;
			}
		}
		return outcome;
	}

	private static String summary(Outcome outcome) {
		return String.format(
				"%s  p50 %s ms, p99 %s ms, RSS %.0f MB, heap %.0f MB, missing %,d, duplicates %,d, other programs %.2f cores",
				outcome.rateText(), outcome.p50Millis(), outcome.p99Millis(), outcome.peakRssMb(), outcome.peakHeapMb(),
				outcome.missing(), outcome.duplicates(), outcome.otherCores());
	}

	private Outcome runContender(Broker broker, Scenario scenario, Contender contender, String topic,
			String outputTopic, long[] endOffsets, long seedStartWallMillis, int round, int attempt) throws Exception {
		String name = scenario.id() + "-" + contender.id() + ((round > 1) ? "-run" + round : "")
				+ ((attempt > 1) ? "-try" + attempt : "");
		String group = name + "-" + this.runId;
		if (scenario.instances() > 1) {
			return runFleet(broker, scenario, contender, topic, outputTopic, endOffsets, seedStartWallMillis, name,
					group);
		}
		Path resultFile = this.workDir.resolve(name + ".properties");
		Path seenFile = this.workDir.resolve(name + ".seen");
		List<String> options = jvmOptions(scenario, contender, name, endOffsets, seedStartWallMillis);
		options.addAll(contender.systemProperties(scenario, broker.bootstrap(), topic, group, outputTopic));
		String javaCommand = scenario.java25() ? this.java25 : this.java;
		awaitQuiet(broker);
		CpuUse cpu = CpuUse.start(broker.jvm());
		ChildJvm child = ChildJvm.start(name, javaCommand, options, classpath(contender.module()),
				contender.mainClass(), contender.programArguments(scenario, broker.bootstrap(), this.workerExtras,
						this.springProperties),
				this.workDir.resolve(name + ".log"));
		boolean exited = child.awaitExit(STARTUP_TIMEOUT_SECONDS + scenario.budgetSeconds() + 60);
		if (!exited) {
			child.kill();
		}
		else {
			child.forget();
		}
		double otherCores = cpu.otherCores(broker.jvm(), List.of(child));
		double rssMb = child.peakRssKb() / 1024.0;
		long committed = scenario.hasFailingPartition()
				? broker.committedOffset(group, topic, scenario.failPartition()) : Outcome.NOT_READ;
		if (!Files.exists(resultFile)) {
			String status = exited ? "CRASHED" : "KILLED";
			return new Outcome(scenario.id(), contender, status,
					(exited ? "exit " + child.exitCode() : "did not stop") + ", see " + child.log().getFileName(), "",
					sum(endOffsets), 0, sum(endOffsets), 0, 0, 0, 0, -1, -1, rssMb, 0, 0, 0, 0, 0, committed,
					otherCores, -1, List.of());
		}
		Properties result = new Properties();
		try (InputStream in = Files.newInputStream(resultFile)) {
			result.load(in);
		}
		boolean throwing = scenario.hasFailingPartition() && !contender.isLimit();
		SeenCounts check = SeenCounts.read(List.of(seenFile), endOffsets, throwing ? scenario.failPartition() : -1,
				scenario.failFrom());
		long missing = check.missing();
		long duplicates = check.duplicates();
		long failingTried = check.failingTried();
		long expected = sum(endOffsets) - check.failing();
		String status = result.getProperty("status");
		String detail = "";
		long handled = Long.parseLong(result.getProperty("distinct"));
		// The measured records: all of them, or those without the hot key (P3), or those
		// outside the failing partition (P4).
		double elapsed = nanosToSeconds(result, "measuredElapsedNanos");
		double allElapsed = nanosToSeconds(result, "elapsedNanos");
		long measured = Long.parseLong(result.getProperty("distinctMeasured"));
		double rate = (elapsed > 0) ? measured / elapsed : 0;
		double allRate = (allElapsed > 0) ? handled / allElapsed : 0;
		if (Outcome.COMPLETED.equals(status) && missing > 0) {
			status = "FAILED";
			detail = String.format("%,d missing", missing);
		}
		else if (Outcome.COMPLETED.equals(status) && scenario.hasFailingPartition() && duplicates > 0) {
			// P4 checks that a frozen partition costs the others nothing: each of their
			// records handled exactly once.
			status = "FAILED";
			detail = String.format("%,d duplicates", duplicates);
		}
		else if (!Outcome.COMPLETED.equals(status) && !Outcome.DNF.equals(status)) {
			detail = String.format("%,d of %,d handled", handled, expected);
		}
		// Backlog latency, shifted by the probe (bench.seedStartMillis): how long each
		// record waited in the backlog once the contender started.
		long p50 = Long.parseLong(result.getProperty("measuredAgeP50Millis", "-1"));
		long p99 = Long.parseLong(result.getProperty("measuredAgeP99Millis", "-1"));
		long probeRss = Long.parseLong(result.getProperty("vmHwmKb", "-1"));
		rssMb = Math.max(rssMb, probeRss / 1024.0);
		summariseProfile(contender, name);
		return new Outcome(scenario.id(), contender, status, detail, result.getProperty("javaVersion"), expected,
				handled, missing, duplicates, elapsed, rate, allRate, p50, p99, rssMb,
				Long.parseLong(result.getProperty("peakHeapUsedBytes")) / 1048576.0,
				Long.parseLong(result.getProperty("peakHeapAfterGcBytes")) / 1048576.0,
				Long.parseLong(result.getProperty("startupNanos")) / 1e9,
				Long.parseLong(result.getProperty("failedCalls", "0")), failingTried, committed, otherCores,
				cpuMicrosPerRecord(result, handled), List.of());
	}

	private static double cpuMicrosPerRecord(Properties result, long handled) {
		long cpuNanos = Long.parseLong(result.getProperty("cpuNanos", "-1"));
		return (cpuNanos >= 0 && handled > 0) ? cpuNanos / 1e3 / handled : -1;
	}

	// The JVM options of a contender's JVM named name: heap, collector, profile, and the
	// probe's settings, its result files named after the JVM.
	private List<String> jvmOptions(Scenario scenario, Contender contender, String name, long[] endOffsets,
			long seedStartWallMillis) {
		List<String> options = new ArrayList<>();
		if (scenario.maxHeap() != null) {
			options.add("-Xmx" + scenario.maxHeap());
		}
		options.add("-XX:+UseG1GC");
		if (this.profile != null && !contender.isLimit()) {
			Path recording = this.workDir.resolve(name + ".jfr");
			// Without it a sample is attributed to the nearest safepoint's frame, so time
			// spent in inlined callees shows as the caller's own.
			options.add("-XX:+UnlockDiagnosticVMOptions");
			options.add("-XX:+DebugNonSafepoints");
			options.add("-XX:StartFlightRecording=filename=" + recording + ",settings=" + this.profile
					+ (DEFAULT_PROFILE.equals(this.profile) ? ",jdk.ThreadSleep#enabled=false" : "") + ",dumponexit=true");
		}
		options.add("-Dbench.contender=" + contender.id());
		options.add("-Dbench.endOffsets="
				+ Arrays.stream(endOffsets).mapToObj(Long::toString).collect(Collectors.joining(",")));
		options.add("-Dbench.expectedHot=" + scenario.hotRecords());
		options.add("-Dbench.hotKey=" + ((scenario.hotPercent() > 0) ? Scenario.HOT_KEY : ""));
		if (scenario.hasFailingPartition()) {
			// The zero-work limit handles every record (it has no failure handling to
			// measure) but, like every contender, is measured on the other partitions.
			options.add("-Dbench.fail.partition=" + scenario.failPartition());
			options.add("-Dbench.fail.from=" + scenario.failFrom());
			options.add("-Dbench.fail.throw=" + !contender.isLimit());
		}
		options.add("-Dbench.work.micros=" + (contender.isLimit() ? 0 : scenario.workMillis() * 1000L));
		options.add("-Dbench.budget.seconds=" + scenario.budgetSeconds());
		options.add("-Dbench.seedStartMillis=" + seedStartWallMillis);
		options.add("-Dbench.startup.timeout.seconds=" + STARTUP_TIMEOUT_SECONDS);
		options.add("-Dbench.result.file=" + this.workDir.resolve(name + ".properties"));
		options.add("-Dbench.seen.file=" + this.workDir.resolve(name + ".seen"));
		return options;
	}

	// The contender as several JVMs at once in one group, started together: see Fleet.
	private Outcome runFleet(Broker broker, Scenario scenario, Contender contender, String topic, String outputTopic,
			long[] endOffsets, long seedStartWallMillis, String name, String group) throws Exception {
		Path fleetDir = Files.createDirectories(this.workDir.resolve(name + "-fleet"));
		List<String> members = new ArrayList<>();
		List<ChildJvm> jvms = new ArrayList<>();
		awaitQuiet(broker);
		CpuUse cpu = CpuUse.start(broker.jvm());
		for (int instance = 1; instance <= scenario.instances(); instance++) {
			String member = Fleet.memberName(name, instance);
			List<String> options = jvmOptions(scenario, contender, member, endOffsets, seedStartWallMillis);
			options.add("-Dbench.fleet.dir=" + fleetDir);
			options.add("-Dbench.instance=" + instance);
			options.add("-Dbench.latency.file=" + this.workDir.resolve(member + ".latency"));
			options.addAll(contender.systemProperties(scenario, broker.bootstrap(), topic, group, outputTopic));
			members.add(member);
			List<String> arguments = contender.programArguments(scenario, broker.bootstrap(), this.workerExtras,
					this.springProperties);
			jvms.add(ChildJvm.start(member, scenario.java25() ? this.java25 : this.java, options,
					classpath(contender.module()), contender.mainClass(), arguments,
					this.workDir.resolve(member + ".log")));
		}
		Fleet fleet = new Fleet(fleetDir, jvms,
				members.stream().map((member) -> this.workDir.resolve(member + ".seen")).toList(), endOffsets);
		String status = fleet.run(STARTUP_TIMEOUT_SECONDS, scenario.budgetSeconds());
		double otherCores = cpu.otherCores(broker.jvm(), jvms);
		for (String member : members) {
			summariseProfile(contender, member);
		}
		return FleetResults.outcome(scenario, contender, fleet, status, members, jvms, this.workDir, endOffsets,
				otherCores);
	}

	// With --profile: the CPU profile of the JVM named name, summarised into the results.
	private void summariseProfile(Contender contender, String name) throws IOException {
		if (this.profile != null && !contender.isLimit()) {
			Path recording = this.workDir.resolve(name + ".jfr");
			if (Files.exists(recording)) {
				Path summary = this.resultsDir.resolve("profiles").resolve(name + ".txt");
				Profiles.summarise(recording, summary);
				System.out.printf("    %-20s CPU profile: %s%n", contender.id(), this.home.relativize(summary));
			}
		}
	}

	// With --wait-quiet: wait until other programs used at most quietCores cores over the
	// last QUIET_SAMPLE_SECONDS, for at most QUIET_MAX_WAIT_SECONDS, then go on anyway.
	private void awaitQuiet(Broker broker) throws InterruptedException {
		if (this.quietCores < 0) {
			return;
		}
		long deadline = System.nanoTime() + QUIET_MAX_WAIT_SECONDS * 1_000_000_000L;
		long waitedSince = System.nanoTime();
		boolean waited = false;
		while (true) {
			CpuUse sample = CpuUse.start(broker.jvm());
			Thread.sleep(QUIET_SAMPLE_SECONDS * 1000);
			double other = sample.otherCores(broker.jvm(), List.of());
			if (other <= this.quietCores) {
				if (waited) {
					System.out.printf("    (waited %.0f s for the machine to be quiet)%n",
							(System.nanoTime() - waitedSince) / 1e9);
				}
				return;
			}
			if (System.nanoTime() > deadline) {
				System.out.printf("    (other programs still use %.2f cores after %d s: going on)%n", other,
						QUIET_MAX_WAIT_SECONDS);
				return;
			}
			if (!waited) {
				System.out.printf("    (other programs use %.2f cores, load average %s: waiting)%n", other,
						loadAverage());
			}
			waited = true;
		}
	}

	private static double nanosToSeconds(Properties result, String name) {
		return Long.parseLong(result.getProperty(name, "0")) / 1e9;
	}

	private String classpath(String module) throws IOException {
		Path moduleDir = this.home.resolve(module);
		return moduleDir.resolve("target/classes") + File.pathSeparator
				+ String.join(File.pathSeparator, dependencies(module).stream().map(this::pinned).toList());
	}

	private List<String> dependencies(String module) throws IOException {
		Path classpathFile = this.home.resolve(module).resolve("target/classpath.txt");
		if (!Files.exists(classpathFile)) {
			throw new IllegalStateException(classpathFile + " is missing: build with benchmarks/run.sh");
		}
		return List.of(Files.readString(classpathFile, StandardCharsets.UTF_8).trim().split(File.pathSeparator));
	}

	// Copy kafka-worker's jars, as run.sh just installed them into ~/.m2, into the run's
	// work directory, and start every contender JVM with the copies: ~/.m2 is shared, and
	// another build installing there during a run would otherwise change the engine
	// between one contender and the next.
	private void pinEngineJars() throws IOException {
		for (String entry : dependencies("contender-kafka-worker")) {
			if (entry.contains(ENGINE_JARS) && entry.endsWith(".jar")) {
				Path copy = this.workDir.resolve("engine").resolve(Path.of(entry).getFileName());
				Files.createDirectories(copy.getParent());
				Files.copy(Path.of(entry), copy);
			}
		}
	}

	private String pinned(String entry) {
		if (!entry.contains(ENGINE_JARS)) {
			return entry;
		}
		Path copy = this.workDir.resolve("engine").resolve(Path.of(entry).getFileName());
		return Files.exists(copy) ? copy.toString() : entry;
	}

	private String environment() throws Exception {
		StringBuilder text = new StringBuilder();
		text.append("kafka-worker benchmarks, run ").append(this.runId).append(this.quick ? " (quick)" : " (full)");
		text.append(System.lineSeparator());
		text.append(String.format("Machine: %s, %d CPUs, %.1f GiB memory, %s %s%n",
				InetAddress.getLocalHost().getHostName(), Runtime.getRuntime().availableProcessors(), totalMemoryGiB(),
				System.getProperty("os.name"), System.getProperty("os.version")));
		text.append(String.format("CPU: %s%n", cpuModel()));
		text.append(String.format("JDK (harness, broker, contenders): %s %s; JDK 25 for P6: %s%n",
				System.getProperty("java.vendor"), System.getProperty("java.version"), this.java25));
		text.append(String.format("kafka-worker: built from %s, commit %s%n", this.home.getParent(), engineCommit()));
		text.append(String.format("Load average at start: %s%n", loadAverage()));
		if (this.repeat > 1) {
			text.append(String.format("Each contender ran %d times, in rounds; tables show its median run%n",
					this.repeat));
		}
		if (!this.workerExtras.isEmpty() || !this.springProperties.isEmpty()) {
			List<String> settings = new ArrayList<>();
			this.workerExtras.forEach((extra) -> settings.add("--worker." + extra));
			this.springProperties.forEach((property) -> settings.add("--" + property));
			text.append(String.format("Settings: %s%n", String.join(" ", settings)));
		}
		return text.toString();
	}

	// The commit of the tree run.sh built kafka-worker from, "-dirty" with changes.
	private String engineCommit() {
		try {
			Process git = new ProcessBuilder("git", "-C", this.home.getParent().toString(), "describe", "--always",
					"--dirty")
				.redirectErrorStream(true)
				.start();
			String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (git.waitFor() == 0) ? commit : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private static double totalMemoryGiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0;
				}
			}
		}
		catch (IOException ex) {
			// Not Linux.
		}
		return 0;
	}

	private static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// Not Linux.
		}
		return "unknown";
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static long sum(long[] values) {
		long total = 0;
		for (long value : values) {
			total += value;
		}
		return total;
	}

}
