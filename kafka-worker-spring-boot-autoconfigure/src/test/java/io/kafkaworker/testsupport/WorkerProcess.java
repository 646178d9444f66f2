package io.kafkaworker.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test application in its own JVM, on the test's class path and the test broker,
 * for the crash tests: {@link Process#destroyForcibly()} kills it with SIGKILL, which an
 * in-process application cannot simulate (its threads and sockets would outlive the
 * "kill").
 */
public final class WorkerProcess {

	private WorkerProcess() {
	}

	/**
	 * Start an application.
	 * @param application the {@code main} class
	 * @param output the file that receives the application's standard output and error
	 * (its directory is created)
	 * @param arguments Spring Boot command-line properties besides the common ones (the
	 * broker, earliest offsets, a short session so that a killed consumer soon leaves the
	 * group), which they must not repeat: Spring Boot would join two values of one
	 * property with a comma
	 * @return the process
	 * @throws IOException if the process cannot be started
	 */
	public static Process start(Class<?> application, Path output, String... arguments) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						application.getName(), "--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
						"--spring.kafka.consumer.auto-offset-reset=earliest",
						// a killed consumer leaves the group when its session times out
						"--spring.kafka.consumer.properties.session.timeout.ms=3000",
						"--spring.kafka.consumer.properties.heartbeat.interval.ms=500"));
		command.addAll(List.of(arguments));
		Files.createDirectories(output.toAbsolutePath().getParent());
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
	}

}
