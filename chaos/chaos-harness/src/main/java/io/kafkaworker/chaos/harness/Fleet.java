package io.kafkaworker.chaos.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker JVMs of one run: a few slots ({@code w1}, {@code w2}, ... and the extra
 * member {@code x1}), each running one incarnation at a time. An incarnation is one
 * process start, with an id the handler writes into every effect, and the signals it
 * received, for the attribution of duplicates.
 */
final class Fleet {

	/**
	 * One process start of a slot.
	 */
	static final class Incarnation {

		final String id;

		final String slot;

		final Child child;

		final int httpPort;

		final long started = System.currentTimeMillis();

		final List<FaultLog.Entry> signals = new CopyOnWriteArrayList<>();

		volatile boolean expectedExit;

		Incarnation(String id, String slot, Child child, int httpPort) {
			this.id = id;
			this.slot = slot;
			this.child = child;
			this.httpPort = httpPort;
		}

	}

	private final Map<String, Incarnation> current = new ConcurrentHashMap<>();

	private final Map<String, Incarnation> all = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> startsBySlot = new ConcurrentHashMap<>();

	private final AtomicInteger unexpectedExits = new AtomicInteger();

	private final RunSpec spec;

	private final Topics topics;

	private final Settings settings;

	private final FaultLog faults;

	private final String classpath;

	private final Path logDir;

	Fleet(RunSpec spec, Topics topics, Settings settings, FaultLog faults, String classpath, Path logDir) {
		this.spec = spec;
		this.topics = topics;
		this.settings = settings;
		this.faults = faults;
		this.classpath = classpath;
		this.logDir = logDir;
	}

	List<String> slots() {
		List<String> slots = new ArrayList<>();
		for (int i = 1; i <= this.settings.workers(); i++) {
			slots.add("w" + i);
		}
		return slots;
	}

	/**
	 * Start a new incarnation in a slot.
	 * @param slot the slot
	 * @return the incarnation
	 */
	Incarnation start(String slot) {
		int number = this.startsBySlot.computeIfAbsent(slot, (key) -> new AtomicInteger()).incrementAndGet();
		String id = slot + "." + number;
		int httpPort = this.settings.httpPortBase() + (slot.startsWith("x") ? 50 : 0)
				+ Integer.parseInt(slot.substring(1));
		List<String> arguments = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + this.settings.bootstrap(),
				"--server.port=" + httpPort, "--chaos.topic=" + this.topics.input(), "--chaos.group=" + this.topics.group(),
				"--chaos.output=" + this.topics.output(), "--chaos.effect=" + this.spec.effect(),
				"--chaos.incarnation=" + id, "--chaos.slow-ms=" + this.settings.slowMillis(),
				"--kafka.worker.workers.chaos.mode=" + this.spec.mode(),
				"--kafka.worker.workers.chaos.delivery=" + this.spec.delivery(),
				"--kafka.worker.workers.chaos.on-failure=" + this.spec.onFailure(),
				"--kafka.worker.exactly-once.transactional-id-prefix=" + this.topics.group() + "-" + slot + "-"));
		if (this.settings.groupProtocol().equals("consumer")) {
			// KIP-848: the broker sets the session and heartbeat (the consumer refuses them).
			arguments.add("--spring.kafka.consumer.properties.group.protocol=consumer");
		}
		else {
			// A worker frozen by SIGSTOP for longer than this leaves the group (a zombie).
			arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=10000");
			arguments.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=2000");
		}
		if (this.spec.store() != null) {
			arguments.add("--kafka.worker.workers.chaos.exactly-once.store=" + this.spec.store());
		}
		if (this.spec.rows()) {
			arguments.add("--spring.datasource.url=" + this.settings.jdbcUrl());
			arguments.add("--spring.datasource.username=sa");
		}
		try {
			Child child = Child.startJvm(id, List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
					"-Xshare:auto"), this.classpath, "io.kafkaworker.chaos.worker.ChaosWorkerApplication", arguments,
					this.logDir.resolve(id + ".log"));
			Incarnation incarnation = new Incarnation(id, slot, child, httpPort);
			child.process().onExit().thenRun(() -> {
				if (!incarnation.expectedExit) {
					this.unexpectedExits.incrementAndGet();
					this.faults.add(Fault.UNEXPECTED, id, "exited on its own with " + child.process().exitValue());
				}
			});
			this.current.put(slot, incarnation);
			this.all.put(id, incarnation);
			this.faults.add(Fault.START, id, "pid " + child.pid() + ", http " + httpPort);
			return incarnation;
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Cannot start " + id, ex);
		}
	}

	Incarnation current(String slot) {
		return this.current.get(slot);
	}

	List<Incarnation> live() {
		return this.current.values().stream().filter((incarnation) -> incarnation.child.isAlive()).toList();
	}

	Incarnation incarnation(String id) {
		return this.all.get(id);
	}

	/**
	 * Signal an incarnation, and note the signal on it.
	 * @param incarnation the incarnation
	 * @param fault the fault the signal belongs to
	 * @param signal the signal
	 */
	void signal(Incarnation incarnation, Fault fault, String signal) {
		if (!signal.equals("STOP") && !signal.equals("CONT")) {
			incarnation.expectedExit = true;
		}
		incarnation.signals.add(new FaultLog.Entry(System.currentTimeMillis(), fault, incarnation.id, signal));
		incarnation.child.signal(signal);
	}

	/**
	 * Forget a slot whose incarnation ended (the extra member).
	 * @param slot the slot
	 */
	void retire(String slot) {
		this.current.remove(slot);
	}

	int unexpectedExits() {
		return this.unexpectedExits.get();
	}

	int incarnations() {
		return this.all.size();
	}

	/**
	 * SIGKILL every incarnation still running, at the end of the run.
	 */
	void killAll() {
		for (Incarnation incarnation : this.all.values()) {
			incarnation.expectedExit = true;
			incarnation.child.kill();
		}
	}

}
