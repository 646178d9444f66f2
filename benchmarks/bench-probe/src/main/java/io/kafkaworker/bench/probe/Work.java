package io.kafkaworker.bench.probe;

/**
 * The per-record work, the same in every contender: a sleep of {@code bench.work.micros}
 * (a stand-in for a blocking call to another system), or nothing at all when it is 0.
 */
public final class Work {

	private static final long MICROS = Long.getLong("bench.work.micros", 0);

	private Work() {
	}

	/**
	 * Do the work of one record on the calling thread.
	 */
	public static void perform() {
		if (MICROS <= 0) {
			return;
		}
		try {
			Thread.sleep(MICROS / 1000, (int) (MICROS % 1000) * 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
