package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the harness started: the broker or a contender. Every child is killed when the
 * harness exits, normally, on failure or on Ctrl-C; children also halt by themselves when
 * the harness process disappears ({@code bench.parentPid}), in case it is killed with
 * SIGKILL.
 */
final class ChildJvm {

	private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "kill-child-jvms"));
	}

	private final String name;

	private final Process process;

	private final Path log;

	private volatile long peakRssKb = -1;

	private volatile long cpuTicks;

	private ChildJvm(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Start a JVM.
	 * @param name a name for messages
	 * @param java the java executable
	 * @param jvmOptions options before the main class
	 * @param classpath the classpath
	 * @param mainClass the main class
	 * @param arguments program arguments
	 * @param log where its stdout and stderr go
	 * @return the running child
	 * @throws IOException if it cannot start
	 */
	static ChildJvm start(String name, String java, List<String> jvmOptions, String classpath, String mainClass,
			List<String> arguments, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvmOptions);
		command.add("-Dbench.parentPid=" + ProcessHandle.current().pid());
		command.add("-cp");
		command.add(classpath);
		command.add(mainClass);
		command.addAll(arguments);
		Files.createDirectories(log.getParent());
		Files.writeString(log, String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		ChildJvm child = new ChildJvm(name, process, log);
		LIVE.add(child);
		Thread sampler = new Thread(child::sampleRss, "rss-" + name);
		sampler.setDaemon(true);
		sampler.start();
		return child;
	}

	/**
	 * Wait for the JVM to exit.
	 * @param seconds the longest wait
	 * @return true if it exited
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitExit(long seconds) throws InterruptedException {
		return this.process.waitFor(seconds, TimeUnit.SECONDS);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	int exitCode() {
		return this.process.exitValue();
	}

	long pid() {
		return this.process.pid();
	}

	Path log() {
		return this.log;
	}

	String name() {
		return this.name;
	}

	/**
	 * Return the highest VmHWM read from /proc while the child ran.
	 * @return kB, or -1 if never read
	 */
	long peakRssKb() {
		return this.peakRssKb;
	}

	/**
	 * Return the CPU time the JVM used so far, as last sampled (every 200 ms while it
	 * runs, so up to 200 ms short once it exited).
	 * @return user plus system time in clock ticks
	 */
	long cpuTicks() {
		return this.cpuTicks;
	}

	/**
	 * Kill the JVM and its descendants: SIGTERM, then SIGKILL after a few seconds.
	 */
	void kill() {
		LIVE.remove(this);
		if (!this.process.isAlive()) {
			return;
		}
		this.process.descendants().forEach(ProcessHandle::destroy);
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	void forget() {
		LIVE.remove(this);
	}

	static void killAll() {
		for (ChildJvm child : List.copyOf(LIVE)) {
			child.kill();
		}
	}

	private void sampleRss() {
		Path status = Path.of("/proc", Long.toString(this.process.pid()), "status");
		Path stat = Path.of("/proc", Long.toString(this.process.pid()), "stat");
		while (this.process.isAlive()) {
			try {
				long ticks = CpuUse.processTicks(stat);
				if (ticks > 0) {
					this.cpuTicks = ticks;
				}
				for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
					if (line.startsWith("VmHWM:")) {
						long kb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
						if (kb > this.peakRssKb) {
							this.peakRssKb = kb;
						}
					}
				}
				Thread.sleep(200);
			}
			catch (IOException | RuntimeException ex) {
				return;
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

}
