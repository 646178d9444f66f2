package io.kafkaworker.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.h2.tools.Server;

/**
 * The chaos command (see {@code chaos/README.md}): starts the broker (and the database of
 * the JDBC run), runs the selected runs one after another, prints and writes the results
 * table and the fault log, and exits non-zero on any violation.
 */
public final class ChaosMain {

	// Fixed ports (a broker killed with kill -9 restarts on the same one), all below
	// Linux's ephemeral range (32768-60999): inside it, any outgoing connection may be
	// given the port as its own (a client reconnecting to the dead port can even connect
	// to itself), and the restarted server then cannot bind. A CI run of 2026-12-07 lost
	// its broker to "Address already in use" on 39092.
	private static final int BROKER_PORT = 19092;

	private static final int DATABASE_PORT = 19095;

	private static final int HTTP_PORT_BASE = 19100;

	private ChaosMain() {
	}

	public static void main(String[] args) throws Exception {
		Path home = Path.of(System.getProperty("chaos.home", "chaos")).toAbsolutePath();
		Options options = Options.parse(args);
		if (options == null) {
			System.out.println(Options.USAGE);
			return;
		}
		String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path results = home.resolve("results").resolve(runId);
		Path work = home.resolve("work");
		deleteRecursively(work);
		Files.createDirectories(results);
		Settings settings = new Settings(options.seed, options.produceSeconds, options.rate, options.keys, 6,
				options.workers, options.faultEverySeconds, "localhost:" + BROKER_PORT, HTTP_PORT_BASE,
				"jdbc:h2:tcp://localhost:" + DATABASE_PORT + "/chaos", 20_000, options.catchUpSeconds,
				options.strictDuplicates, options.groupProtocol);
		System.out.printf(
				"Chaos %s: seed %d, runs %s, %d s of producing per run at %d records/s, %d workers, %s group protocol%n",
				runId, options.seed, options.runs.stream().map(RunSpec::name).toList(), options.produceSeconds,
				options.rate, options.workers, options.groupProtocol);
		System.out.println("Reproduce with: chaos/run.sh --seed " + options.seed + " " + options.reproduce());
		KraftBroker broker = new KraftBroker(classpath(home, "../benchmarks/bench-broker"), work, BROKER_PORT);
		Server database = null;
		List<RunResult> outcomes = new ArrayList<>();
		FaultLog faults = null;
		try {
			broker.start();
			if (options.runs.stream().anyMatch(RunSpec::rows)) {
				database = Server.createTcpServer("-tcpPort", Integer.toString(DATABASE_PORT), "-baseDir",
						work.resolve("h2").toString(), "-ifNotExists")
					.start();
			}
			for (RunSpec spec : options.runs) {
				faults = new FaultLog(results.resolve("faults.log"), spec.name());
				Run run = new Run(spec, settings, broker, faults, classpath(home, "chaos-worker"),
						work.resolve(runId + "-" + spec.name()), runId);
				outcomes.add(run.execute(options.seed + spec.name().hashCode()));
			}
		}
		finally {
			broker.stop();
			if (database != null) {
				database.stop();
			}
			Child.killAll();
		}
		List<Long> leftovers = Child.leftovers();
		List<String> global = List.of("- processes started: " + Child.startedCount() + ", left running at the end: "
				+ (leftovers.isEmpty() ? "none (PASS)" : leftovers + " (**FAIL**)"),
				"- seed " + options.seed + "; reproduce with `chaos/run.sh --seed " + options.seed + " "
						+ options.reproduce() + "`; fault log: faults.log; worker and broker logs: chaos/work/");
		String table = Report.table("## Chaos run " + runId + " (" + options.groupProtocol + " group protocol)",
				outcomes, global);
		Report.write(results.resolve("results.md"), table);
		System.out.println();
		System.out.print(table);
		System.out.println("Written to " + results);
		boolean passed = leftovers.isEmpty() && outcomes.stream().allMatch(RunResult::passed)
				&& outcomes.size() == options.runs.size();
		System.exit(passed ? 0 : 1);
	}

	static String classpath(Path home, String module) throws IOException {
		Path directory = home.resolve(module).normalize();
		return directory.resolve("target/classes") + ":"
				+ Files.readString(directory.resolve("target/classpath.txt"), StandardCharsets.UTF_8).trim();
	}

	static void createEffectsTable(String url) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists chaos_effects");
			statement.execute("create table chaos_effects (id bigint auto_increment primary key, line varchar(200))");
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
