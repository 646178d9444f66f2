package io.kafkaworker.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One run: fresh topics and group, the worker JVMs, the producer, the fault schedule, the
 * operator (FREEZE runs), then the verifier once producing and faults are over.
 */
final class Run {

	private static final long WARM_UP_MILLIS = 12_000;

	private static final long COOL_DOWN_MILLIS = 3_000;

	private static final long KILL_DUPLICATE_WINDOW_MILLIS = 2_000;

	private final RunSpec spec;

	private final Settings settings;

	private final KraftBroker broker;

	private final FaultLog faults;

	private final String workerClasspath;

	private final Path logDir;

	private final Topics topics;

	Run(RunSpec spec, Settings settings, KraftBroker broker, FaultLog faults, String workerClasspath, Path logDir,
			String runId) {
		this.spec = spec;
		this.settings = settings;
		this.broker = broker;
		this.faults = faults;
		this.workerClasspath = workerClasspath;
		this.logDir = logDir;
		this.topics = Topics.of(runId, spec, settings.partitions());
	}

	RunResult execute(long seed) throws Exception {
		long started = System.currentTimeMillis();
		System.out.printf("%n== Run %s (%s, on-failure %s), seed %d%n", this.spec.name(), this.spec.label(),
				this.spec.onFailure(), seed);
		RunResult result = new RunResult(this.spec);
		this.broker.createTopics(this.topics.partitions(), this.topics.input(), this.topics.output());
		if (this.spec.rows()) {
			ChaosMain.createEffectsTable(this.settings.jdbcUrl());
		}
		Fleet fleet = new Fleet(this.spec, this.topics, this.settings, this.faults, this.workerClasspath, this.logDir);
		InputProducer producer = new InputProducer(this.settings, this.topics.input(), seed, this.faults);
		Operator operator = new Operator(fleet, this.faults);
		Thread producing = new Thread(producer, "producer");
		Thread operating = new Thread(operator, "operator");
		operating.setDaemon(true);
		try {
			fleet.slots().forEach(fleet::start);
			producing.start();
			if (this.spec.freezes()) {
				operating.start();
			}
			Chaos chaos = new Chaos(seed, fleet, this.broker, producer, this.faults);
			long produceEnd = started + this.settings.produceSeconds() * 1000L;
			chaos.run(started + WARM_UP_MILLIS, produceEnd - COOL_DOWN_MILLIS, this.settings.faultEverySeconds());
			producing.join(this.settings.produceSeconds() * 1000L + 240_000);
			producer.stop();
			System.out.printf("    produced %,d records (%,d sends failed); waiting for the group to commit them%n",
					producer.sent(), producer.failed());
			Verifier verifier = new Verifier(this.settings, this.topics, this.spec, fleet, this.faults);
			result.endLag = verifier.awaitCommitted(this.broker);
			result.stalls = chaos.stalls();
			operator.stop();
			result.unexpectedExits = fleet.unexpectedExits();
			fleet.killAll();
			result.incarnations = fleet.incarnations();
			result.faults = this.faults.counts();
			verifier.verify(result, operator.skipped());
		}
		finally {
			operator.stop();
			producer.stop();
			fleet.killAll();
		}
		result.seconds = (System.currentTimeMillis() - started) / 1000;
		check(result);
		System.out.printf("    %s: produced %,d, handled %,d, lost %d, out of order %d, duplicates %,d, lag %d: %s%n",
				this.spec.name(), result.produced, result.handled, result.lost, result.outOfOrder,
				result.duplicateTotal(), result.endLag, result.passed() ? "PASS" : "FAIL");
		if (!result.passed()) {
			printErrors();
		}
		return result;
	}

	// CI keeps the output, not chaos/work: a failed run prints its workers' ERROR lines
	// (the first line of each, at most ten per worker).
	private void printErrors() {
		try (Stream<Path> logs = Files.list(this.logDir)) {
			for (Path log : logs.filter((path) -> path.toString().endsWith(".log")).sorted().toList()) {
				List<String> errors = Files.readAllLines(log)
					.stream()
					.filter((line) -> line.contains(" ERROR "))
					.limit(10)
					.map((line) -> "      " + line.substring(0, Math.min(line.length(), 400)))
					.toList();
				if (!errors.isEmpty()) {
					System.out.printf("    ERROR lines of %s:%n%s%n", log.getFileName(), String.join("\n", errors));
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			System.out.printf("    (could not read the worker logs in %s: %s)%n", this.logDir, ex);
		}
	}

	private void check(RunResult result) {
		result.checks.put("nothing lost", result.lost == 0);
		result.checks.put("per-key order", this.spec.ordered() ? result.outOfOrder == 0 : null);
		result.checks.put("exactly once", this.spec.exactlyOnce() ? result.duplicateTotal() == 0 : null);
		result.checks.put("0 duplicates after graceful (--strict-duplicates)",
				this.settings.strictDuplicates() ? result.gracefulDuplicates() == 0 : null);
		// One commit interval (1 s), plus the commit's round trip and the time between the
		// handling's clock reading and its completion, on a loaded 2-core machine.
		result.checks.put("kill -9 duplicates within a commit interval (2 s, --strict-duplicates)",
				this.settings.strictDuplicates() ? result.oldestKillDuplicateMillis <= KILL_DUPLICATE_WINDOW_MILLIS
						: null);
		result.checks.put("committed = end offsets", result.endLag == 0);
		result.checks.put("no crash loop, no stall", result.unexpectedExits == 0 && result.stalls == 0);
	}

}
