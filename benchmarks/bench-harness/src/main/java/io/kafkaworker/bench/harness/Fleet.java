package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs of one contender run together in one group (a scenario's {@code instances}
 * above 1), and the harness's side of their protocol (the probe's {@code FleetMember}):
 * wait until every member's application started, start them together ({@code go}), add up
 * their seen files until together they hold every record or the budget is spent, then
 * stop them ({@code stop}, with the status) and wait for their exits. No member can tell
 * alone when the fleet is done: each handles only what its group gives it.
 */
final class Fleet {

	private static final long POLL_MILLIS = 250;

	/** How long the members may take to write their results and exit once stopped. */
	private static final long EXIT_SECONDS = 60;

	private final Path dir;

	private final List<ChildJvm> members;

	private final List<Path> seenFiles;

	private final long[] endOffsets;

	/** The member that exited before the fleet was stopped, or null. */
	private ChildJvm crashed;

	Fleet(Path dir, List<ChildJvm> members, List<Path> seenFiles, long[] endOffsets) {
		this.dir = dir;
		this.members = members;
		this.seenFiles = seenFiles;
		this.endOffsets = endOffsets;
	}

	/**
	 * Return the name of the {@code instance}-th member (from 1) of a fleet.
	 * @param name the fleet's name
	 * @param instance the member
	 * @return the member's name, for its files
	 */
	static String memberName(String name, int instance) {
		return name + "-jvm" + instance;
	}

	/**
	 * Run the fleet to its end and stop every member.
	 * @param startupSeconds the longest wait for every member to start, then for the
	 * first record
	 * @param budgetSeconds the longest run from the first record
	 * @return COMPLETED, DNF, NO_START or CRASHED (see {@link #crashed()})
	 * @throws IOException if the files cannot be read or written
	 * @throws InterruptedException if interrupted
	 */
	String run(long startupSeconds, long budgetSeconds) throws IOException, InterruptedException {
		String status = awaitReady(startupSeconds);
		if (status == null) {
			writeAtomically("go", Long.toString(System.currentTimeMillis()));
			status = awaitEnd(startupSeconds, budgetSeconds);
		}
		writeAtomically("stop", status);
		for (ChildJvm member : this.members) {
			if (member.awaitExit(EXIT_SECONDS)) {
				member.forget();
			}
			else {
				member.kill();
			}
		}
		return status;
	}

	/**
	 * Return the member that exited before the fleet was stopped.
	 * @return the member, or null
	 */
	ChildJvm crashed() {
		return this.crashed;
	}

	private String awaitReady(long startupSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startupSeconds);
		while (true) {
			if (exitedMember()) {
				return "CRASHED";
			}
			boolean ready = true;
			for (int instance = 1; instance <= this.members.size(); instance++) {
				ready &= Files.exists(this.dir.resolve("ready-" + instance));
			}
			if (ready) {
				return null;
			}
			if (System.nanoTime() > deadline) {
				return "NO_START";
			}
			TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
		}
	}

	// The budget counts from the first snapshot holding a record, up to a snapshot period
	// after the first record: a second at most over the probe's own budget.
	private String awaitEnd(long startupSeconds, long budgetSeconds) throws IOException, InterruptedException {
		long started = System.nanoTime();
		long firstProgress = 0;
		long total = 0;
		for (long end : this.endOffsets) {
			total += end;
		}
		while (true) {
			TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
			if (exitedMember()) {
				return "CRASHED";
			}
			SeenCounts seen = SeenCounts.read(this.seenFiles, this.endOffsets, -1, 0);
			if (seen.missing() == 0) {
				return Outcome.COMPLETED;
			}
			long now = System.nanoTime();
			if (firstProgress == 0 && seen.missing() < total) {
				firstProgress = now;
			}
			if (firstProgress != 0 && now - firstProgress > TimeUnit.SECONDS.toNanos(budgetSeconds)) {
				return Outcome.DNF;
			}
			if (firstProgress == 0 && now - started > TimeUnit.SECONDS.toNanos(startupSeconds)) {
				return "NO_START";
			}
		}
	}

	private boolean exitedMember() {
		for (ChildJvm member : this.members) {
			if (!member.isAlive()) {
				this.crashed = member;
				return true;
			}
		}
		return false;
	}

	// Aside, then moved: a member never reads half a file.
	private void writeAtomically(String name, String content) throws IOException {
		Path temporary = this.dir.resolve(name + ".tmp");
		Files.writeString(temporary, content, StandardCharsets.UTF_8);
		Files.move(temporary, this.dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
	}

}
