package io.kafkaworker.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every fault of a run with its wall-clock time, appended to {@code faults.log} as it
 * happens and kept for the attribution of duplicates.
 */
final class FaultLog {

	/**
	 * One fault.
	 *
	 * @param time wall-clock milliseconds
	 * @param type the fault
	 * @param target the incarnation, {@code broker}, or the record
	 * @param detail free text
	 */
	record Entry(long time, Fault type, String target, String detail) {

	}

	private final List<Entry> entries = new ArrayList<>();

	private final Path file;

	private final String run;

	FaultLog(Path file, String run) {
		this.file = file;
		this.run = run;
	}

	synchronized void add(Fault type, String target, String detail) {
		Entry entry = new Entry(System.currentTimeMillis(), type, target, detail);
		this.entries.add(entry);
		String line = String.format("%s %-10s %-16s %-14s %s%n", Instant.ofEpochMilli(entry.time()), this.run, type,
				target, detail);
		System.out.print("    fault " + line.substring(line.indexOf(' ') + 1));
		try {
			Files.writeString(this.file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write " + this.file, ex);
		}
	}

	synchronized List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	synchronized Map<Fault, Integer> counts() {
		Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
		for (Entry entry : this.entries) {
			if (entry.type().counted()) {
				counts.merge(entry.type(), 1, Integer::sum);
			}
		}
		return counts;
	}

}
