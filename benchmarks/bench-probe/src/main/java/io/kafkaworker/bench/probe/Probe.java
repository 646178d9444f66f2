package io.kafkaworker.bench.probe;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records what one contender handles. Every contender calls {@link #begin} when its
 * handler starts on a record and {@link #end} when the handler's work is over, from
 * whatever threads it runs handlers on; the main thread calls {@link #awaitAndExit()},
 * which returns never: it writes the result files when every record was handled once, or
 * when the time budget is spent, and exits the JVM.
 *
 * <p>
 * What it records:
 * <ul>
 * <li>how many times each (partition, offset) was handled, written to the seen file so
 * that the harness checks for missing and duplicate records itself;</li>
 * <li>the time from the first handler start to the end of the last record's work, for all
 * records and for the <em>measured</em> records: those whose key is not the hot key (P3)
 * and that are not in the failing partition (P4);</li>
 * <li>in a scenario with a failing partition ({@code bench.fail.partition}), the calls on
 * its records from {@code bench.fail.from} on: each does the same work as any other record
 * and then throws {@link FailingRecordException}; those records are never complete, and
 * the probe does not wait for them;</li>
 * <li>the age of each record at handler start (now minus the record's timestamp), less
 * the time between {@code bench.seedStartMillis} (the timestamp every record carries) and
 * this contender's first record: how long the record waited in the backlog once this
 * contender started, however long after seeding it started;</li>
 * <li>the peak heap, sampled, and the peak resident set size of the process.</li>
 * </ul>
 * The cost per record is a few atomic operations, the same in every contender.
 *
 * <p>
 * In a fleet ({@link FleetMember}: one contender run as several JVMs in one group) this
 * JVM handles only part of the records, so it never completes by itself: it rewrites its
 * seen file every {@value #FLEET_SNAPSHOT_MILLIS} ms for the harness, which adds up the
 * members' files, and stops when the harness says so. Its result file then also holds the
 * start of its first record and the end of its last one on {@link System#nanoTime()},
 * Linux's {@code CLOCK_MONOTONIC}, which every process of the machine shares, so that the
 * harness can measure the fleet from the first record any member began to the last one
 * any member ended; and the ages of its records, counted from the fleet's start.
 */
public final class Probe {

	/** Flag returned by {@link #begin}: first time this record is handled. */
	private static final int FIRST = 1;

	/**
	 * Flag returned by {@link #begin}: the record is not measured (hot key, or failing
	 * partition).
	 */
	private static final int UNMEASURED = 2;

	/** How often a fleet member rewrites its seen file for the harness. */
	private static final long FLEET_SNAPSHOT_MILLIS = 250;

	private static final Probe INSTANCE = new Probe();

	private final long[] endOffsets;

	private final AtomicIntegerArray[] seen;

	private final long expected;

	private final long expectedMeasured;

	private final String hotKey;

	/** The partition whose records fail from {@link #failFrom} on, or -1. */
	private final int failPartition;

	/** The first offset of {@link #failPartition} that fails. */
	private final long failFrom;

	/**
	 * Whether the failing records throw: false for the zero-work limit, which handles
	 * every record but still measures only the other partitions.
	 */
	private final boolean failThrows;

	private final long seedStartMillis;

	private final long budgetNanos;

	private final long startupTimeoutNanos;

	private final Path resultFile;

	private final Path seenFile;

	/** This JVM's part in a fleet, or null when it runs alone. */
	private final FleetMember fleet;

	private final Path latencyFile;

	/** In a fleet: the end of the last record this JVM handled for the first time. */
	private final AtomicLong lastDistinctEndNanos = new AtomicLong();

	private final long createdNanos = System.nanoTime();

	private final AtomicLong firstBeginNanos = new AtomicLong();

	private final AtomicLong firstBeginWallMillis = new AtomicLong();

	/** This JVM's CPU time when the first record began, -1 if unknown. */
	private volatile long cpuAtFirstBeginNanos = -1;

	private final AtomicLong firstMeasuredBeginNanos = new AtomicLong();

	private final AtomicLong distinctBegun = new AtomicLong();

	private final AtomicLong distinctDone = new AtomicLong();

	private final AtomicLong distinctMeasuredDone = new AtomicLong();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder outOfRange = new LongAdder();

	private final LongAdder failedCalls = new LongAdder();

	private volatile long lastEndNanos;

	private volatile long lastMeasuredEndNanos;

	private final LatencyHistogram latency = new LatencyHistogram();

	private final LatencyHistogram measuredLatency = new LatencyHistogram();

	private final CountDownLatch complete = new CountDownLatch(1);

	private volatile long peakHeapUsed;

	private volatile long peakHeapAfterGc;

	private Probe() {
		String offsets = System.getProperty("bench.endOffsets", "");
		String[] parts = offsets.isEmpty() ? new String[0] : offsets.split(",");
		this.endOffsets = new long[parts.length];
		this.seen = new AtomicIntegerArray[parts.length];
		long total = 0;
		for (int i = 0; i < parts.length; i++) {
			this.endOffsets[i] = Long.parseLong(parts[i].trim());
			this.seen[i] = new AtomicIntegerArray((int) this.endOffsets[i]);
			total += this.endOffsets[i];
		}
		this.hotKey = System.getProperty("bench.hotKey", "");
		int failing = Integer.getInteger("bench.fail.partition", -1);
		this.failPartition = (failing >= 0 && failing < parts.length) ? failing : -1;
		this.failFrom = Long.getLong("bench.fail.from", 0);
		this.failThrows = Boolean.parseBoolean(System.getProperty("bench.fail.throw", "true"));
		long failingRecords = 0;
		long failingPartitionRecords = 0;
		if (this.failPartition >= 0) {
			failingPartitionRecords = this.endOffsets[this.failPartition];
			failingRecords = this.failThrows ? Math.max(0, failingPartitionRecords - this.failFrom) : 0;
		}
		this.expected = total - failingRecords;
		this.expectedMeasured = total - Long.getLong("bench.expectedHot", 0) - failingPartitionRecords;
		this.seedStartMillis = Long.getLong("bench.seedStartMillis", -1);
		this.budgetNanos = TimeUnit.SECONDS.toNanos(Long.getLong("bench.budget.seconds", 600));
		this.startupTimeoutNanos = TimeUnit.SECONDS.toNanos(Long.getLong("bench.startup.timeout.seconds", 120));
		this.resultFile = Path.of(System.getProperty("bench.result.file", "bench-result.properties"));
		this.seenFile = Path.of(System.getProperty("bench.seen.file", "bench-seen.bin"));
		this.fleet = FleetMember.fromSystemProperties();
		this.latencyFile = Path.of(System.getProperty("bench.latency.file", "bench-latency.txt"));
		watchParent();
		startSampler();
	}

	/**
	 * Return the probe of this JVM.
	 * @return the probe
	 */
	public static Probe get() {
		return INSTANCE;
	}

	/**
	 * Return whether this JVM is one of a fleet, whose contender must then start
	 * consuming only once {@link #awaitFleetStart()} returns.
	 * @return true in a fleet
	 */
	public boolean inFleet() {
		return this.fleet != null;
	}

	/**
	 * In a fleet, say that this JVM's application started and wait until the harness
	 * starts every member together (or stops the fleet); return at once otherwise. Call
	 * after the application started and before it consumes.
	 */
	public void awaitFleetStart() {
		if (this.fleet == null) {
			return;
		}
		try {
			this.fleet.awaitGo(this.startupTimeoutNanos);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Note that a handler starts on a record. Call before the record's work.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @param timestampMillis the record's timestamp
	 * @param key the record's key, or null
	 * @return flags to pass to {@link #end(int)}
	 */
	public int begin(int partition, long offset, long timestampMillis, String key) {
		long now = System.nanoTime();
		if (this.firstBeginNanos.get() == 0 && this.firstBeginNanos.compareAndSet(0, now)) {
			this.firstBeginWallMillis.set(System.currentTimeMillis());
			this.cpuAtFirstBeginNanos = processCpuNanos();
		}
		boolean measured = (this.hotKey.isEmpty() || !this.hotKey.equals(key)) && partition != this.failPartition;
		if (measured && this.firstMeasuredBeginNanos.get() == 0) {
			this.firstMeasuredBeginNanos.compareAndSet(0, now);
		}
		long age = age(timestampMillis);
		this.latency.record(age);
		if (measured) {
			this.measuredLatency.record(age);
		}
		int flags = measured ? 0 : UNMEASURED;
		if (partition < 0 || partition >= this.seen.length || offset < 0 || offset >= this.endOffsets[partition]) {
			this.outOfRange.increment();
			return flags;
		}
		if (this.seen[partition].getAndIncrement((int) offset) == 0) {
			this.distinctBegun.incrementAndGet();
			return flags | FIRST;
		}
		this.duplicates.increment();
		return flags;
	}

	// The record's age, less the contender's start as seen from the seeding (the
	// histograms are bounded: records of a contender started long after seeding would
	// otherwise all land in the overflow bucket).
	private long age(long timestampMillis) {
		long nowWall = System.currentTimeMillis();
		if (this.seedStartMillis < 0) {
			return nowWall - timestampMillis;
		}
		// A fleet's members start at different moments: each counts from the fleet's
		// start, and the harness moves every age by the time from there to the fleet's
		// first record.
		long firstWall = (this.fleet != null) ? this.fleet.goWallMillis() : this.firstBeginWallMillis.get();
		long started = (firstWall != 0) ? firstWall : nowWall;
		return nowWall - timestampMillis - Math.max(0, started - this.seedStartMillis);
	}

	/**
	 * Note that the work of a record is over.
	 * @param flags what {@link #begin} returned for the record
	 */
	public void end(int flags) {
		if ((flags & FIRST) == 0) {
			return;
		}
		long now = System.nanoTime();
		if (this.fleet != null) {
			this.lastDistinctEndNanos.accumulateAndGet(now, Math::max);
		}
		if ((flags & UNMEASURED) == 0 && this.distinctMeasuredDone.incrementAndGet() == this.expectedMeasured) {
			this.lastMeasuredEndNanos = now;
		}
		if (this.distinctDone.incrementAndGet() == this.expected) {
			this.lastEndNanos = now;
			this.complete.countDown();
		}
	}

	/**
	 * Handle a record: {@link #begin}, the work, {@link #end}; or, for a record of the
	 * failing partition at or after the first failing offset, the work and then a
	 * {@link FailingRecordException}, every time it is called.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @param timestampMillis the record's timestamp
	 * @param key the record's key, or null
	 * @throws FailingRecordException if the record is one that fails
	 */
	public void handle(int partition, long offset, long timestampMillis, String key) {
		if (fails(partition, offset)) {
			fail(partition, offset);
		}
		int flags = begin(partition, offset, timestampMillis, key);
		Work.perform();
		end(flags);
	}

	/**
	 * Return whether a record is one that fails every time it is handled.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @return true for the failing partition's records from the first failing offset on
	 */
	public boolean fails(int partition, long offset) {
		return this.failThrows && partition == this.failPartition && offset >= this.failFrom;
	}

	// A failing record: counted (per offset in the seen file, which the harness reads as
	// attempts, and in total), then the same work as any record, then the failure.
	private void fail(int partition, long offset) {
		this.failedCalls.increment();
		if (offset < this.endOffsets[partition]) {
			this.seen[partition].getAndIncrement((int) offset);
		}
		Work.perform();
		throw new FailingRecordException(partition, offset);
	}

	/**
	 * Wait until every record was handled or the budget is spent, write the results and
	 * exit the JVM.
	 * @param contender the contender's name, for the log
	 */
	public void awaitAndExit(String contender) {
		String status;
		try {
			status = (this.fleet != null) ? awaitFleetStop() : awaitEnd(contender);
		}
		catch (IOException ex) {
			ex.printStackTrace();
			status = "CRASHED";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			status = "INTERRUPTED";
		}
		long stoppedNanos = System.nanoTime();
		try {
			writeResults(contender, status, stoppedNanos);
			System.out.printf("[probe] %s: %s, %,d of %,d records handled%n", contender, status,
					this.distinctDone.get(), this.expected);
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
		exit(0);
	}

	// Alone: until every record was handled once, or the budget is spent.
	private String awaitEnd(String contender) throws InterruptedException {
		long lastProgress = System.nanoTime();
		while (true) {
			if (this.complete.await(100, TimeUnit.MILLISECONDS)) {
				return "COMPLETED";
			}
			long now = System.nanoTime();
			long first = this.firstBeginNanos.get();
			if (first != 0 && now - first > this.budgetNanos) {
				return "DNF";
			}
			if (first == 0 && now - this.createdNanos > this.startupTimeoutNanos) {
				return "NO_START";
			}
			if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
				lastProgress = now;
				System.out.printf("[probe] %s: %,d of %,d records handled%n", contender, this.distinctDone.get(),
						this.expected);
			}
		}
	}

	// In a fleet: until the harness, which adds up the members' seen files, says stop.
	private String awaitFleetStop() throws IOException, InterruptedException {
		while (true) {
			String status = this.fleet.stopStatus();
			if (status != null) {
				return status;
			}
			writeSeen();
			Thread.sleep(FLEET_SNAPSHOT_MILLIS);
		}
	}

	/**
	 * Write the result files now and exit with the given status: for a contender that
	 * failed.
	 * @param contender the contender's name
	 * @param failure what went wrong
	 */
	public void failAndExit(String contender, Throwable failure) {
		failure.printStackTrace();
		try {
			writeResults(contender, "CRASHED", System.nanoTime());
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
		exit(1);
	}

	// The process's user + system CPU time, -1 where the JVM does not tell.
	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	private void writeResults(String contender, String status, long stoppedNanos) throws IOException {
		long first = this.firstBeginNanos.get();
		long end = "COMPLETED".equals(status) ? this.lastEndNanos : stoppedNanos;
		if (this.fleet != null) {
			// A member never handles every record: its own window ends with its last one.
			end = this.lastDistinctEndNanos.get();
		}
		long firstMeasured = this.firstMeasuredBeginNanos.get();
		long measuredEnd = (this.lastMeasuredEndNanos != 0) ? this.lastMeasuredEndNanos : stoppedNanos;
		Properties result = new Properties();
		result.setProperty("contender", contender);
		result.setProperty("status", status);
		result.setProperty("expected", Long.toString(this.expected));
		result.setProperty("distinct", Long.toString(this.distinctDone.get()));
		result.setProperty("distinctBegun", Long.toString(this.distinctBegun.get()));
		result.setProperty("duplicates", Long.toString(this.duplicates.sum()));
		result.setProperty("outOfRange", Long.toString(this.outOfRange.sum()));
		result.setProperty("elapsedNanos", Long.toString((first != 0) ? end - first : 0));
		result.setProperty("expectedMeasured", Long.toString(this.expectedMeasured));
		result.setProperty("distinctMeasured", Long.toString(this.distinctMeasuredDone.get()));
		result.setProperty("measuredElapsedNanos",
				Long.toString((firstMeasured != 0) ? measuredEnd - firstMeasured : 0));
		result.setProperty("failedCalls", Long.toString(this.failedCalls.sum()));
		// CPU this JVM used from its first record until now (within ~100 ms of its last
		// one): its cost per record, which varies far less between runs than its rate.
		long cpuNow = processCpuNanos();
		long cpuAtFirst = this.cpuAtFirstBeginNanos;
		result.setProperty("cpuNanos", Long.toString((cpuNow >= 0 && cpuAtFirst >= 0) ? cpuNow - cpuAtFirst : -1));
		result.setProperty("firstBeginWallMillis", Long.toString(this.firstBeginWallMillis.get()));
		result.setProperty("startupNanos", Long.toString((first != 0) ? first - this.createdNanos : 0));
		result.setProperty("ageP50Millis", Long.toString(this.latency.percentile(50)));
		result.setProperty("ageP99Millis", Long.toString(this.latency.percentile(99)));
		result.setProperty("measuredAgeP50Millis", Long.toString(this.measuredLatency.percentile(50)));
		result.setProperty("measuredAgeP99Millis", Long.toString(this.measuredLatency.percentile(99)));
		sampleHeap();
		result.setProperty("peakHeapUsedBytes", Long.toString(this.peakHeapUsed));
		result.setProperty("peakHeapAfterGcBytes", Long.toString(this.peakHeapAfterGc));
		result.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
		result.setProperty("vmHwmKb", Long.toString(vmHwmKb()));
		result.setProperty("javaVersion", System.getProperty("java.version"));
		result.setProperty("availableProcessors", Integer.toString(Runtime.getRuntime().availableProcessors()));
		if (this.fleet != null) {
			// On the clock all members share: the harness measures the fleet as a whole.
			result.setProperty("firstBeginNanos", Long.toString(first));
			result.setProperty("lastDistinctEndNanos", Long.toString(this.lastDistinctEndNanos.get()));
			result.setProperty("stoppedNanos", Long.toString(stoppedNanos));
			result.setProperty("goWallMillis", Long.toString(this.fleet.goWallMillis()));
			this.measuredLatency.writeTo(this.latencyFile);
		}
		writeSeen();
		Path temporary = this.resultFile.resolveSibling(this.resultFile.getFileName() + ".tmp");
		try (OutputStream out = Files.newOutputStream(temporary)) {
			result.store(out, "kafka-worker benchmark result");
		}
		Files.move(temporary, this.resultFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	// Per partition: the partition count, then for each partition its length and one
	// byte per offset holding how many times it was handled (saturated at 127). Written
	// aside and moved, since the harness reads a fleet member's file while it runs.
	private void writeSeen() throws IOException {
		Path temporary = this.seenFile.resolveSibling(this.seenFile.getFileName() + ".tmp");
		try (DataOutputStream out = new DataOutputStream(
				new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))) {
			out.writeInt(this.seen.length);
			for (AtomicIntegerArray counts : this.seen) {
				out.writeInt(counts.length());
				for (int i = 0; i < counts.length(); i++) {
					out.writeByte(Math.min(127, counts.get(i)));
				}
			}
		}
		Files.move(temporary, this.seenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private void startSampler() {
		Thread sampler = new Thread(() -> {
			while (true) {
				sampleHeap();
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-probe-sampler");
		sampler.setDaemon(true);
		sampler.start();
	}

	private void sampleHeap() {
		List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
		long used = 0;
		long afterGc = 0;
		for (MemoryPoolMXBean pool : pools) {
			if (pool.getType() != MemoryType.HEAP) {
				continue;
			}
			used += pool.getUsage().getUsed();
			MemoryUsage collection = pool.getCollectionUsage();
			if (collection != null) {
				afterGc += collection.getUsed();
			}
		}
		if (used > this.peakHeapUsed) {
			this.peakHeapUsed = used;
		}
		if (afterGc > this.peakHeapAfterGc) {
			this.peakHeapAfterGc = afterGc;
		}
	}

	/**
	 * Return the peak resident set size of this process.
	 * @return VmHWM in kB, or -1 where /proc is not available
	 */
	static long vmHwmKb() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux.
		}
		return -1;
	}

	// Die with the harness, even if it is killed without running its shutdown hooks.
	private static void watchParent() {
		Long parent = Long.getLong("bench.parentPid");
		if (parent != null) {
			ProcessHandle.of(parent)
				.ifPresentOrElse((handle) -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
						() -> Runtime.getRuntime().halt(3));
		}
	}

	// Exit normally (so a flight recording is dumped), but do not let a slow shutdown of
	// the contender's framework keep the harness waiting.
	private static void exit(int status) {
		PrintStream out = System.out;
		out.flush();
		Thread halt = new Thread(() -> {
			try {
				Thread.sleep(15_000);
			}
			catch (InterruptedException ex) {
				// Exit now.
			}
			Runtime.getRuntime().halt(status);
		}, "bench-probe-halt");
		halt.setDaemon(true);
		halt.start();
		System.exit(status);
	}

}
