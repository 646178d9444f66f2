package io.kafkaworker.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the machine's PostgreSQL binaries, created in a temporary
 * directory on a free port for one test class and deleted afterwards. Tests that use it
 * are skipped, saying why, on machines without PostgreSQL. PostgreSQL refuses to run as
 * root, so as root the cluster runs as the {@code postgres} user.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	private final Path bin;

	private final Path data;

	private final int port;

	private ThrowawayPostgres(Path bin, Path data, int port) {
		this.bin = bin;
		this.data = data;
		this.port = port;
	}

	/**
	 * Start a cluster, or skip the test if the machine cannot run one.
	 * @return the running cluster
	 * @throws Exception if a machine that has PostgreSQL fails to start it
	 */
	public static ThrowawayPostgres start() throws Exception {
		Path bin = binaries();
		Assumptions.assumeTrue(bin != null,
				"No PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql to run this test)");
		boolean root = "root".equals(System.getProperty("user.name"));
		Assumptions.assumeTrue(!root || Files.exists(Path.of("/usr/sbin/runuser")),
				"PostgreSQL cannot run as root and runuser is missing");
		// Under /tmp, which the postgres user can write to when the tests run as root.
		Path data = Path.of(System.getProperty("java.io.tmpdir"), "kafka-worker-pg-" + UUID.randomUUID());
		int port = freePort();
		ThrowawayPostgres postgres = new ThrowawayPostgres(bin, data, port);
		postgres.run("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
		postgres.run("pg_ctl", "-D", data.toString(), "-w", "-l", data.resolve("server.log").toString(), "-o",
				"-p " + port + " -k '' -c listen_addresses=127.0.0.1 -c fsync=off", "start");
		return postgres;
	}

	/**
	 * Return the JDBC URL of the cluster's {@code postgres} database.
	 * @return the URL
	 */
	public String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/**
	 * Return the user to connect as.
	 * @return the user, trusted without a password
	 */
	public String user() {
		return "postgres";
	}

	@Override
	public void close() throws Exception {
		try {
			run("pg_ctl", "-D", this.data.toString(), "-m", "immediate", "stop");
		}
		finally {
			try (Stream<Path> files = Files.walk(this.data)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	private void run(String program, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
		}
		command.add(this.bin.resolve(program).toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(command + " failed: " + output);
		}
	}

	private static Path binaries() throws IOException {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return null;
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.naturalOrder())
				.orElse(null);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
