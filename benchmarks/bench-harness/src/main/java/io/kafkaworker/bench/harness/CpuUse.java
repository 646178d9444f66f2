package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much CPU other programs took while a contender ran: the machine's busy time from
 * {@code /proc/stat} less what the harness, the broker and the contender used, from
 * their {@code /proc/<pid>/stat}. On a shared machine this says, per contender, how many
 * cores someone else's work took from it, which a load average (a one-minute moving
 * average that also counts the benchmark's own threads) does not.
 */
final class CpuUse {

	/** Linux's USER_HZ on every common platform. */
	private static final double TICKS_PER_SECOND = 100.0;

	private final long machineBusy;

	private final long harness;

	private final long broker;

	private final long startNanos;

	private CpuUse(long machineBusy, long harness, long broker, long startNanos) {
		this.machineBusy = machineBusy;
		this.harness = harness;
		this.broker = broker;
		this.startNanos = startNanos;
	}

	/**
	 * Take the starting point, right before a contender starts.
	 * @param broker the broker's JVM
	 * @return the starting point
	 */
	static CpuUse start(ChildJvm broker) {
		return new CpuUse(machineBusyTicks(), processTicks(Path.of("/proc/self/stat")), broker.cpuTicks(),
				System.nanoTime());
	}

	/**
	 * Return the average number of cores other programs used since {@link #start}.
	 * @param broker the broker's JVM
	 * @param contenders the contender's JVMs (one, several for a fleet, none when none
	 * ran), which started right after {@link #start}
	 * @return cores, or -1 where /proc is not available
	 */
	double otherCores(ChildJvm broker, List<ChildJvm> contenders) {
		long busy = machineBusyTicks();
		if (busy <= 0 || this.machineBusy <= 0) {
			return -1;
		}
		long ours = (processTicks(Path.of("/proc/self/stat")) - this.harness) + (broker.cpuTicks() - this.broker);
		for (ChildJvm contender : contenders) {
			ours += contender.cpuTicks();
		}
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		return Math.max(0, (busy - this.machineBusy - ours) / TICKS_PER_SECOND / seconds);
	}

	// user + nice + system + irq + softirq + steal of the first line of /proc/stat.
	private static long machineBusyTicks() {
		try {
			String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).get(0);
			String[] fields = line.trim().split("\\s+");
			return Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3])
					+ Long.parseLong(fields[6]) + Long.parseLong(fields[7]) + Long.parseLong(fields[8]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Return a process's user plus system time.
	 * @param stat its {@code /proc/<pid>/stat}
	 * @return clock ticks, or -1 if it cannot be read
	 */
	static long processTicks(Path stat) {
		try {
			String text = Files.readString(stat, StandardCharsets.UTF_8);
			// The command name (field 2) may hold spaces: count fields after its ')'.
			String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
