package io.kafkaworker.chaos.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The seeded fault schedule of one run. Within the window, every few seconds, it injects
 * one process fault and one record fault: first each type once in a shuffled order (so
 * that a short run still sees every fault), then at random by weight. Slots being
 * stopped, restarted or frozen are left alone until they are back. Every loop and wait is
 * bounded.
 */
final class Chaos {

	private static final List<Fault> PROCESS_FAULTS = List.of(Fault.SIGKILL, Fault.SIGTERM, Fault.SIGTERM_ALL,
			Fault.EXTRA_MEMBER, Fault.ZOMBIE, Fault.BROKER_KILL);

	private static final int[] PROCESS_WEIGHTS = { 4, 4, 1, 2, 2, 1 };

	private static final List<Fault> RECORD_FAULTS = List.of(Fault.RETRY_RECORD, Fault.HEALING_RECORD,
			Fault.FAILING_RECORD, Fault.POISON_PILL, Fault.SLOW_RECORD);

	private static final int[] RECORD_WEIGHTS = { 3, 2, 2, 2, 1 };

	private static final long SESSION_TIMEOUT_MILLIS = 10_000;

	private static final long STOP_WAIT_SECONDS = 60;

	private final Random random;

	private final Fleet fleet;

	private final KraftBroker broker;

	private final InputProducer producer;

	private final FaultLog faults;

	private final Set<String> busy = ConcurrentHashMap.newKeySet();

	private final List<Thread> restarts = new CopyOnWriteArrayList<>();

	private final List<Fault> processDeck;

	private final List<Fault> recordDeck;

	private final int[] stalls = new int[1];

	private volatile boolean brokerDown;

	Chaos(long seed, Fleet fleet, KraftBroker broker, InputProducer producer, FaultLog faults) {
		this.random = new Random(seed);
		this.fleet = fleet;
		this.broker = broker;
		this.producer = producer;
		this.faults = faults;
		this.processDeck = new ArrayList<>(PROCESS_FAULTS);
		Collections.shuffle(this.processDeck, this.random);
		this.recordDeck = new ArrayList<>(RECORD_FAULTS);
		Collections.shuffle(this.recordDeck, this.random);
	}

	/**
	 * Inject faults from {@code startMillis} until {@code endMillis} (wall clock), then wait
	 * (bounded) until every stopped worker was continued or restarted.
	 * @param startMillis the window's start
	 * @param endMillis the window's end
	 * @param meanEverySeconds mean time between faults
	 * @throws Exception if the broker cannot be restarted
	 */
	void run(long startMillis, long endMillis, int meanEverySeconds) throws Exception {
		sleepUntil(startMillis);
		while (System.currentTimeMillis() < endMillis) {
			this.producer.inject(draw(this.recordDeck, RECORD_FAULTS, RECORD_WEIGHTS));
			inject(draw(this.processDeck, PROCESS_FAULTS, PROCESS_WEIGHTS));
			long pause = (long) (meanEverySeconds * 1000 * (0.5 + this.random.nextDouble()));
			sleepUntil(Math.min(endMillis, System.currentTimeMillis() + pause));
		}
		long deadline = System.currentTimeMillis() + (STOP_WAIT_SECONDS + 30) * 1000;
		while (System.currentTimeMillis() < deadline && this.restarts.stream().anyMatch(Thread::isAlive)) {
			Thread.sleep(200);
		}
	}

	/**
	 * Return how many workers did not exit within the bound after SIGTERM.
	 * @return the count
	 */
	int stalls() {
		synchronized (this.stalls) {
			return this.stalls[0];
		}
	}

	private Fault draw(List<Fault> deck, List<Fault> types, int[] weights) {
		if (!deck.isEmpty()) {
			return deck.remove(0);
		}
		int total = 0;
		for (int weight : weights) {
			total += weight;
		}
		int pick = this.random.nextInt(total);
		for (int i = 0; i < weights.length; i++) {
			pick -= weights[i];
			if (pick < 0) {
				return types.get(i);
			}
		}
		throw new IllegalStateException("unreachable");
	}

	private void inject(Fault fault) throws Exception {
		List<String> free = this.fleet.slots().stream().filter((slot) -> !this.busy.contains(slot)).toList();
		if (free.isEmpty() && fault != Fault.BROKER_KILL && fault != Fault.EXTRA_MEMBER) {
			return;
		}
		String slot = free.isEmpty() ? null : free.get(this.random.nextInt(free.size()));
		switch (fault) {
			case SIGKILL -> stopAndRestart(slot, Fault.SIGKILL, "KILL", true);
			case SIGTERM -> stopAndRestart(slot, Fault.SIGTERM, "TERM", true);
			case SIGTERM_ALL -> {
				this.faults.add(Fault.SIGTERM_ALL, "all", "SIGTERM " + free.stream()
					.map((each) -> this.fleet.current(each).id)
					.toList());
				for (String each : free) {
					stopAndRestart(each, Fault.STOPPED, "TERM", true);
				}
			}
			case EXTRA_MEMBER -> extraMember();
			case ZOMBIE -> zombie(slot);
			case BROKER_KILL -> brokerKill();
			default -> throw new IllegalArgumentException(fault.name());
		}
	}

	private void stopAndRestart(String slot, Fault fault, String signal, boolean restart) {
		Fleet.Incarnation incarnation = this.fleet.current(slot);
		this.busy.add(slot);
		this.faults.add(fault, incarnation.id, "SIG" + signal + " pid " + incarnation.child.pid());
		this.fleet.signal(incarnation, fault, signal);
		background(() -> {
			if (!incarnation.child.awaitExit(STOP_WAIT_SECONDS)) {
				synchronized (this.stalls) {
					this.stalls[0]++;
				}
				this.faults.add(Fault.UNEXPECTED, incarnation.id, "still running " + STOP_WAIT_SECONDS
						+ " s after SIG" + signal + "; SIGKILL");
				incarnation.child.kill();
			}
			if (restart) {
				this.fleet.start(slot);
			}
			else {
				this.fleet.retire(slot);
			}
			this.busy.remove(slot);
		});
	}

	private void extraMember() {
		if (this.busy.contains("x1")) {
			return;
		}
		this.busy.add("x1");
		Fleet.Incarnation extra = this.fleet.start("x1");
		long lifeMillis = 6_000 + this.random.nextInt(10_000);
		this.faults.add(Fault.EXTRA_MEMBER, extra.id, "joins, SIGTERM in " + lifeMillis + " ms");
		background(() -> {
			sleepUntil(System.currentTimeMillis() + lifeMillis);
			this.busy.remove("x1");
			stopAndRestart("x1", Fault.STOPPED, "TERM", false);
		});
	}

	private void zombie(String slot) {
		Fleet.Incarnation incarnation = this.fleet.current(slot);
		this.busy.add(slot);
		long stopMillis = SESSION_TIMEOUT_MILLIS + 3_000 + this.random.nextInt(5_000);
		this.faults.add(Fault.ZOMBIE, incarnation.id, "SIGSTOP for " + stopMillis + " ms (session timeout "
				+ SESSION_TIMEOUT_MILLIS + " ms)");
		this.fleet.signal(incarnation, Fault.ZOMBIE, "STOP");
		background(() -> {
			sleepUntil(System.currentTimeMillis() + stopMillis);
			this.fleet.signal(incarnation, Fault.SIGCONT, "CONT");
			this.faults.add(Fault.SIGCONT, incarnation.id, "SIGCONT");
			this.busy.remove(slot);
		});
	}

	private void brokerKill() throws Exception {
		if (this.brokerDown) {
			return;
		}
		this.brokerDown = true;
		this.faults.add(Fault.BROKER_KILL, "broker", "SIGKILL, restart on the same port and data");
		this.broker.kill9();
		this.broker.start();
		this.faults.add(Fault.BROKER_READY, "broker", "ready");
		this.brokerDown = false;
	}

	private void background(Runnable action) {
		Thread thread = new Thread(action, "chaos-action");
		thread.setDaemon(true);
		this.restarts.add(thread);
		thread.start();
	}

	private static void sleepUntil(long millis) {
		long wait = millis - System.currentTimeMillis();
		if (wait > 0) {
			try {
				Thread.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
