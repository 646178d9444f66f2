package io.kafkaworker.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process the harness started (the broker or a worker JVM), signalled by pid. Every pid
 * ever started is remembered, so that the end of the run can check that none is left;
 * live children are killed by a shutdown hook (also on Ctrl-C), and children halt by
 * themselves when the harness disappears ({@code bench.parentPid}).
 */
final class Child {

	private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();

	private static final Set<Long> STARTED = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(Child::killAll, "kill-children"));
	}

	private final String name;

	private final Process process;

	private Child(String name, Process process) {
		this.name = name;
		this.process = process;
	}

	/**
	 * Start a JVM whose output is appended to a log file.
	 * @param name a name for messages
	 * @param jvmOptions the java executable's options
	 * @param classpath the classpath
	 * @param mainClass the main class
	 * @param arguments program arguments
	 * @param log the log file
	 * @return the child
	 * @throws IOException if it cannot start
	 */
	static Child startJvm(String name, List<String> jvmOptions, String classpath, String mainClass,
			List<String> arguments, Path log) throws IOException {
		List<String> command = Stream
			.of(List.of(ProcessHandle.current().info().command().orElse("java")), jvmOptions,
					List.of("-Dbench.parentPid=" + ProcessHandle.current().pid(), "-cp", classpath, mainClass), arguments)
			.flatMap(List::stream)
			.toList();
		Files.createDirectories(log.getParent());
		// The command heads the log; the process appends to it (a restarted broker gets a new log).
		Files.write(log, List.of(String.join(" ", command)), StandardCharsets.UTF_8);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Process process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
		Child child = new Child(name, process);
		LIVE.add(child);
		STARTED.add(process.pid());
		return child;
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Process process() {
		return this.process;
	}

	/**
	 * Send a signal with {@code kill}, by pid.
	 * @param signal {@code KILL}, {@code TERM}, {@code STOP} or {@code CONT}
	 */
	void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!kill.waitFor(10, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot signal " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait for the process to exit.
	 * @param seconds the longest wait
	 * @return whether it exited
	 */
	boolean awaitExit(long seconds) {
		try {
			return this.process.waitFor(seconds, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * SIGKILL the process (a stopped one too) and wait until it is gone.
	 */
	void kill() {
		LIVE.remove(this);
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			awaitExit(10);
		}
	}

	/**
	 * Kill every live child.
	 */
	static void killAll() {
		for (Child child : List.copyOf(LIVE)) {
			child.kill();
		}
	}

	/**
	 * Return the pids the harness started that are still running.
	 * @return the leftover pids
	 */
	static List<Long> leftovers() {
		return STARTED.stream()
			.filter((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
			.sorted()
			.toList();
	}

	/**
	 * Return how many processes the harness started.
	 * @return the count
	 */
	static int startedCount() {
		return STARTED.size();
	}

}
