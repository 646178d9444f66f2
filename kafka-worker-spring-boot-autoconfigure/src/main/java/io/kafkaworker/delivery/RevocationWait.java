package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long letting partitions go may wait for their in-flight records: the worker's
 * revoke timeout, cut short while a graceful shutdown runs.
 *
 * <p>
 * A shutdown's drain waits for the in-flight records itself, then commits and stops the
 * consumers, whose closing revokes the partitions. Without the cut, a call still running
 * when the drain gave up on it (a stuck handler) would hold that revocation for a whole
 * revoke timeout more, past the shutdown timeout, and a JVM that exits after its shutdown
 * would leave the group without a word: its partitions wait for the session timeout.
 * Shared by the consumer threads and the thread that drains.
 */
public final class RevocationWait {

	private final Duration timeout;

	private final LongSupplier nanoClock;

	private volatile boolean cut;

	private volatile long cutAtNanos;

	/**
	 * Create the wait of one worker.
	 * @param timeout the revoke timeout
	 * @param nanoClock the source of {@link System#nanoTime()}-like readings
	 */
	public RevocationWait(Duration timeout, LongSupplier nanoClock) {
		this.timeout = timeout;
		this.nanoClock = nanoClock;
	}

	/**
	 * Return the configured revoke timeout, for messages.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return the longest wait that may start now.
	 * @return the revoke timeout, or less while cut short
	 */
	public Duration fromNow() {
		if (!this.cut) {
			return this.timeout;
		}
		long left = this.cutAtNanos - this.nanoClock.getAsLong();
		return (left <= 0) ? Duration.ZERO : (left < this.timeout.toNanos()) ? Duration.ofNanos(left) : this.timeout;
	}

	/**
	 * End every wait at the given time, until {@link #restore()}.
	 * @param deadlineNanos the time, on the wait's clock
	 */
	public void cutAt(long deadlineNanos) {
		this.cutAtNanos = deadlineNanos;
		this.cut = true;
	}

	/**
	 * Wait the whole revoke timeout again.
	 */
	public void restore() {
		this.cut = false;
	}

}
