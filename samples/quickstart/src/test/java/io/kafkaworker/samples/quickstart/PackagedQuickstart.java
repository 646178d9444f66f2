package io.kafkaworker.samples.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The packaged quickstart running in a JVM of its own, started as a user starts it:
 * {@code java [jvm arguments] -jar quickstart.jar [arguments]}, here with its in-process
 * broker and its HTTP server on free ports. Its output goes to a log file next to the
 * jar, quoted in failure messages. {@link #close()} kills it if it still runs, and so
 * does a shutdown hook should the test's JVM end first.
 */
final class PackagedQuickstart implements AutoCloseable {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

	private static final int TAIL_LINES = 80;

	private final Process process;

	private final Path log;

	private final RestClient http;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Thread killOnExit;

	private PackagedQuickstart(Process process, Path log, int httpPort) {
		this.process = process;
		this.log = log;
		SimpleClientHttpRequestFactory requestFactory = new SimpleClientHttpRequestFactory();
		requestFactory.setConnectTimeout(Duration.ofSeconds(5));
		requestFactory.setReadTimeout(Duration.ofSeconds(10));
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + httpPort)
			.requestFactory(requestFactory)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		this.killOnExit = new Thread(process::destroyForcibly, "kill-" + log.getFileName());
		Runtime.getRuntime().addShutdownHook(this.killOnExit);
	}

	/**
	 * Start the jar.
	 * @param jar the executable jar
	 * @param name names the log file, {@code <name>.log} in the jar's directory
	 * @param jvmArguments arguments of the JVM, such as system properties
	 * @param arguments arguments of the application
	 * @return the running application, to be closed
	 */
	static PackagedQuickstart start(Path jar, String name, List<String> jvmArguments, List<String> arguments) {
		int brokerPort = TestPorts.findFreePortPair();
		int httpPort = TestPorts.findFreePort();
		while (httpPort == brokerPort || httpPort == brokerPort + 1) {
			httpPort = TestPorts.findFreePort();
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// Starts faster on a busy machine; the application is the same.
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(jvmArguments);
		command
			.addAll(List.of("-jar", jar.toString(), "--server.port=" + httpPort, "--demo.broker.port=" + brokerPort));
		command.addAll(arguments);
		Path log = jar.toAbsolutePath().resolveSibling(name + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new PackagedQuickstart(process, log, httpPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command, ex);
		}
	}

	/**
	 * Wait until {@code GET path} answers 200 with JSON that matches.
	 * @param path the path
	 * @param condition the condition on the response's JSON
	 * @param timeout how long to wait
	 * @return the matching JSON
	 * @throws AssertionError if the application exits or the time is up first
	 */
	JsonNode awaitJson(String path, Predicate<JsonNode> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "no response";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("The quickstart exited with " + this.process.exitValue() + " while waiting "
						+ "for " + path + "; " + outputTail());
			}
			try {
				ResponseEntity<String> response = this.http.get().uri(path).retrieve().toEntity(String.class);
				last = response.getStatusCode() + " " + response.getBody();
				if (response.getStatusCode().value() == 200 && response.getBody() != null) {
					JsonNode json = this.jsonMapper.readTree(response.getBody());
					if (condition.test(json)) {
						return json;
					}
				}
			}
			catch (ResourceAccessException ex) {
				// Not listening yet.
				last = ex.getMessage();
			}
			sleep(POLL_INTERVAL);
		}
		throw new AssertionError(
				"GET " + path + " did not match within " + timeout + "; last: " + last + "; " + outputTail());
	}

	/**
	 * Stop the application as a container runtime does, with SIGTERM, and wait for it to
	 * exit.
	 * @param timeout how long to wait
	 * @throws AssertionError if it is still running after the timeout
	 */
	void stop(Duration timeout) {
		this.process.destroy();
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(
						"The quickstart did not exit within " + timeout + " of SIGTERM; " + outputTail());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return what the application has written to its standard output and error so far.
	 * @return the output
	 */
	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(cannot read " + this.log + ": " + ex + ")";
		}
	}

	// The end of the output, for failure messages; the whole of it is in the log file.
	private String outputTail() {
		List<String> lines = output().lines().toList();
		String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
		return this.log + ((lines.size() > TAIL_LINES) ? ", last " + TAIL_LINES + " lines" : "") + ":\n" + tail;
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook runs anyway.
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
