package io.kafkaworker.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's part in a fleet: one contender run as several JVMs at once in one group (a
 * scenario's {@code instances} above 1). No member can tell alone when the fleet is done,
 * since each handles only what its group gives it, so the harness decides, and the two
 * talk through files in {@code bench.fleet.dir}:
 * <ul>
 * <li>a member writes {@code ready-<bench.instance>} once its application started, its
 * consumers not yet;</li>
 * <li>the harness writes {@code go} (its wall clock, in milliseconds) once every member
 * is ready, so that the members join their group together rather than one after another's
 * start-up;</li>
 * <li>the harness writes {@code stop} (the fleet's status: COMPLETED, DNF, ...) once the
 * members' seen files together hold every record, or the budget is spent.</li>
 * </ul>
 */
final class FleetMember {

	private static final long POLL_MILLIS = 20;

	private final Path dir;

	private final int instance;

	private volatile long goWallMillis;

	private FleetMember(Path dir, int instance) {
		this.dir = dir;
		this.instance = instance;
	}

	/**
	 * Return this JVM's part in a fleet, or null when it runs alone.
	 * @return the member, or null
	 */
	static FleetMember fromSystemProperties() {
		String dir = System.getProperty("bench.fleet.dir");
		return (dir != null) ? new FleetMember(Path.of(dir), Integer.getInteger("bench.instance", 1)) : null;
	}

	/**
	 * Say this member is ready and wait until the harness starts the fleet, or stops it
	 * before it started.
	 * @param timeoutNanos the longest wait
	 * @throws IOException if the files cannot be read or written
	 * @throws InterruptedException if interrupted
	 */
	void awaitGo(long timeoutNanos) throws IOException, InterruptedException {
		Files.writeString(this.dir.resolve("ready-" + this.instance), ProcessHandle.current().pid() + "\n",
				StandardCharsets.UTF_8);
		Path go = this.dir.resolve("go");
		long deadline = System.nanoTime() + timeoutNanos;
		while (!Files.exists(go)) {
			if (stopStatus() != null || System.nanoTime() > deadline) {
				return;
			}
			TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
		}
		this.goWallMillis = Long.parseLong(Files.readString(go, StandardCharsets.UTF_8).trim());
	}

	/**
	 * Return when the harness started the fleet.
	 * @return its wall clock in milliseconds, or 0 before the start
	 */
	long goWallMillis() {
		return this.goWallMillis;
	}

	/**
	 * Return the status the harness stopped the fleet with.
	 * @return the status, or null while the fleet runs
	 * @throws IOException if the file cannot be read
	 */
	String stopStatus() throws IOException {
		Path stop = this.dir.resolve("stop");
		return Files.exists(stop) ? Files.readString(stop, StandardCharsets.UTF_8).trim() : null;
	}

}
