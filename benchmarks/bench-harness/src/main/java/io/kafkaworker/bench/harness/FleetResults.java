package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One outcome from the result files of a fleet's members (see {@link Fleet}): the records
 * all of them handled, over the time from the first record any member began to the end of
 * the last record any member handled for the first time in that member (the probes'
 * {@code System.nanoTime()}, Linux's {@code CLOCK_MONOTONIC}, which every process
 * shares); each member's count of records handled; the latency of every member's records
 * added up, counted from the fleet's first record; peak memory of the largest member.
 */
final class FleetResults {

	private final List<String> members;

	private final Path workDir;

	private final List<Properties> results = new ArrayList<>();

	private FleetResults(List<String> members, Path workDir) {
		this.members = members;
		this.workDir = workDir;
	}

	/**
	 * Read the members' results into one outcome.
	 * @param scenario the scenario
	 * @param contender the contender
	 * @param fleet the fleet, stopped
	 * @param status what {@link Fleet#run} returned
	 * @param members the members' names, in start order; their files are
	 * {@code <name>.properties}, {@code .seen}, {@code .latency} in the work directory
	 * @param jvms the members' JVMs, in the same order
	 * @param workDir the work directory
	 * @param endOffsets each partition's end offset
	 * @param otherCores cores other programs used while the fleet ran
	 * @return the outcome
	 * @throws IOException if a file cannot be read
	 */
	static Outcome outcome(Scenario scenario, Contender contender, Fleet fleet, String status, List<String> members,
			List<ChildJvm> jvms, Path workDir, long[] endOffsets, double otherCores) throws IOException {
		FleetResults results = new FleetResults(members, workDir);
		results.load();
		List<Path> seenFiles = members.stream().map((member) -> workDir.resolve(member + ".seen")).toList();
		SeenCounts seen = SeenCounts.read(seenFiles, endOffsets, -1, 0);
		long expected = 0;
		for (long end : endOffsets) {
			expected += end;
		}
		long handled = expected - seen.missing();
		String detail = "";
		if (fleet.crashed() != null) {
			ChildJvm crashed = fleet.crashed();
			detail = crashed.name() + " exit " + crashed.exitCode() + ", see " + crashed.log().getFileName();
		}
		else if (Outcome.COMPLETED.equals(status) && seen.missing() > 0) {
			status = "FAILED";
			detail = String.format("%,d missing", seen.missing());
		}
		else if (!Outcome.COMPLETED.equals(status) && !Outcome.DNF.equals(status)) {
			detail = String.format("%,d of %,d handled", handled, expected);
		}
		long first = results.smallest("firstBeginNanos");
		long end = results.largest(Outcome.COMPLETED.equals(status) ? "lastDistinctEndNanos" : "stoppedNanos");
		double elapsed = (first > 0 && end > first) ? (end - first) / 1e9 : 0;
		double rate = (elapsed > 0) ? handled / elapsed : 0;
		long[] percentiles = results.latency();
		double rssMb = 0;
		for (int i = 0; i < jvms.size(); i++) {
			rssMb = Math.max(rssMb, Math.max(jvms.get(i).peakRssKb(), results.value(i, "vmHwmKb")) / 1024.0);
		}
		return new Outcome(scenario.id(), contender, status, detail, results.text("javaVersion"), expected, handled,
				seen.missing(), seen.duplicates(), elapsed, rate, rate, percentiles[0], percentiles[1], rssMb,
				results.largest("peakHeapUsedBytes") / 1048576.0, results.largest("peakHeapAfterGcBytes") / 1048576.0,
				results.smallest("startupNanos") / 1e9, 0, 0, Outcome.NOT_READ, otherCores, -1, results.members());
	}

	private void load() throws IOException {
		for (String member : this.members) {
			Properties result = new Properties();
			Path file = this.workDir.resolve(member + ".properties");
			if (Files.exists(file)) {
				try (InputStream in = Files.newInputStream(file)) {
					result.load(in);
				}
			}
			this.results.add(result);
		}
	}

	private long value(int member, String name) {
		return Long.parseLong(this.results.get(member).getProperty(name, "0"));
	}

	private String text(String name) {
		for (Properties result : this.results) {
			if (result.getProperty(name) != null) {
				return result.getProperty(name);
			}
		}
		return "";
	}

	// The smallest positive value among the members (0 for a member that handled none).
	private long smallest(String name) {
		long smallest = 0;
		for (int i = 0; i < this.results.size(); i++) {
			long value = value(i, name);
			if (value > 0 && (smallest == 0 || value < smallest)) {
				smallest = value;
			}
		}
		return smallest;
	}

	private long largest(String name) {
		long largest = 0;
		for (int i = 0; i < this.results.size(); i++) {
			largest = Math.max(largest, value(i, name));
		}
		return largest;
	}

	// Each member's records, and its rate over its own window: how busy it was.
	private List<Outcome.Member> members() {
		List<Outcome.Member> members = new ArrayList<>();
		for (int i = 0; i < this.results.size(); i++) {
			long handled = Long.parseLong(this.results.get(i).getProperty("distinct", "-1"));
			long window = value(i, "lastDistinctEndNanos") - value(i, "firstBeginNanos");
			members.add(new Outcome.Member(handled, (handled > 0 && window > 0) ? handled / (window / 1e9) : 0));
		}
		return members;
	}

	// p50 and p99 of every member's records. A member counts ages from the fleet's start
	// (go); moved here to count from the fleet's first record, as a contender alone does.
	private long[] latency() throws IOException {
		long shift = Math.max(0, smallest("firstBeginWallMillis") - largest("goWallMillis"));
		Map<Long, Long> counts = new TreeMap<>();
		long total = 0;
		for (String member : this.members) {
			Path file = this.workDir.resolve(member + ".latency");
			if (!Files.exists(file)) {
				continue;
			}
			for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
				String[] fields = line.trim().split(" ");
				long millis = Math.max(0, Long.parseLong(fields[0]) - shift);
				long count = Long.parseLong(fields[1]);
				counts.merge(millis, count, Long::sum);
				total += count;
			}
		}
		return new long[] { percentile(counts, total, 50), percentile(counts, total, 99) };
	}

	// As the probe's histogram: the smallest value at or above the rank.
	private static long percentile(Map<Long, Long> counts, long total, double percentile) {
		if (total == 0) {
			return -1;
		}
		long rank = (long) Math.ceil(total * percentile / 100.0);
		long seen = 0;
		for (Map.Entry<Long, Long> entry : counts.entrySet()) {
			seen += entry.getValue();
			if (seen >= rank) {
				return entry.getKey();
			}
		}
		return -1;
	}

}
