package io.kafkaworker.offset;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Progress of one assigned partition: which fetched records are unfinished, how many are
 * being handled right now, and the offset that is safe to commit.
 *
 * <p>
 * Each received record gets a <em>sequence number</em>, its position in the order of
 * receipt, so that completing a record is a constant-time array access no matter how many
 * records are outstanding. Invariants, which the unit tests pin down:
 * <ul>
 * <li>Offsets are received in strictly increasing order, as the consumer returns them.
 * Gaps are normal (compaction, transaction markers), so nothing here assumes that the
 * next offset is {@code offset + 1}: the tracker remembers the offsets it was given.</li>
 * <li>{@link #committableOffset()} is the lowest received offset that is not complete, or
 * one past the last received offset when every received record is complete (and past the
 * records right after it that an earlier owner completed). It never passes an unfinished
 * record.</li>
 * <li>{@link #completedAbove()} lists every record above it known to be complete: the
 * received ones and the records an earlier owner completed that have not been received
 * yet, so that a commit never forgets what the commit before it said.</li>
 * <li>Completions may arrive in any order, from any thread, and more than once; a
 * completion for a sequence number that was never issued is ignored.</li>
 * <li>After {@link #revoke()} the partition belongs to another consumer. Late completions
 * are still accepted, but nobody commits this object again: a new assignment gets a new
 * instance, which fences stale work by identity (Parallel Consumer uses an epoch number
 * for the same purpose).</li>
 * </ul>
 * All methods are thread-safe; critical sections are short and never block.
 */
public final class PartitionOffsets {

	private static final int INITIAL_CAPACITY = 64;

	private final TopicPartition topicPartition;

	/** Ring buffer of received offsets, oldest unfinished first. */
	private long[] offsets = new long[INITIAL_CAPACITY];

	/** Whether the record in the same ring slot is complete. */
	private boolean[] complete = new boolean[INITIAL_CAPACITY];

	/** Estimated memory of the record in the same ring slot, while it is outstanding. */
	private int[] bytes = new int[INITIAL_CAPACITY];

	/** Ring index of the oldest unfinished record. */
	private int head;

	/** Number of records in the ring: received and not yet passed by the watermark. */
	private int size;

	/** Sequence number of the record at {@link #head}. */
	private long headSequence;

	/**
	 * Records received and not yet complete. Written under this object's lock, read
	 * without it: back-pressure sums every partition's after each call, and a lock per
	 * partition there was 6 % of the lane threads' CPU samples at zero work (P2).
	 */
	private volatile int outstanding;

	/** Estimated memory of the outstanding records; written and read like the count. */
	private volatile long outstandingBytes;

	/** Records currently inside a handler call. */
	private int inFlight;

	/** The last offset received, or -1 before the first record. */
	private long lastReceivedOffset = -1;

	/** The highest offset completed, or -1. */
	private long lastCompletedOffset = -1;

	private boolean revoked;

	/**
	 * Records that an earlier owner completed above the committed offset, read from the
	 * commit's metadata; complete on receipt. Null once the partition passed them.
	 */
	private @Nullable CompletedOffsets handledBefore;

	// The consumer's view of the partition, refreshed by the consumer thread for the read
	// model only; never used for commits.
	private volatile long firstPosition = -1;

	private volatile long position = -1;

	private volatile long endOffset = -1;

	/**
	 * Create the progress of one partition.
	 * @param topicPartition the partition this object tracks
	 */
	public PartitionOffsets(TopicPartition topicPartition) {
		this.topicPartition = topicPartition;
	}

	/**
	 * Return the partition this object tracks.
	 * @return the partition, as given to the constructor
	 */
	public TopicPartition topicPartition() {
		return this.topicPartition;
	}

	/**
	 * Record that an offset was fetched and is about to be handed to a lane.
	 * @param offset the record's offset, greater than every offset received before
	 * @return the sequence number to pass to {@link #complete(long)}
	 */
	public synchronized long receive(long offset) {
		return receive(new long[] { offset }, new int[] { 0 }, 1);
	}

	/**
	 * Record that a run of offsets was fetched, under one lock.
	 * @param offsets the offsets, each greater than every offset received before it
	 * @param estimatedBytes the estimated memory of each record, for back-pressure
	 * @param count how many entries of the arrays to take
	 * @return the sequence number of the first record; the others follow consecutively
	 */
	public synchronized long receive(long[] offsets, int[] estimatedBytes, int count) {
		long previous = this.lastReceivedOffset;
		for (int i = 0; i < count; i++) {
			if (offsets[i] <= previous) {
				throw new IllegalArgumentException("Offset " + offsets[i] + " of " + this.topicPartition
						+ " received after offset " + previous + "; offsets must increase");
			}
			previous = offsets[i];
		}
		long first = this.headSequence + this.size;
		CompletedOffsets handled = this.handledBefore;
		int outstanding = this.outstanding;
		long outstandingBytes = this.outstandingBytes;
		for (int i = 0; i < count; i++) {
			if (this.size == this.offsets.length) {
				grow();
			}
			int slot = slot(this.size);
			this.offsets[slot] = offsets[i];
			this.size++;
			if (handled != null && handled.contains(offsets[i])) {
				this.complete[slot] = true;
				this.bytes[slot] = 0;
				this.lastCompletedOffset = Math.max(this.lastCompletedOffset, offsets[i]);
			}
			else {
				this.complete[slot] = false;
				this.bytes[slot] = estimatedBytes[i];
				outstandingBytes += estimatedBytes[i];
				outstanding++;
			}
		}
		this.outstanding = outstanding;
		this.outstandingBytes = outstandingBytes;
		this.lastReceivedOffset = previous;
		if (handled != null) {
			advanceHead();
			if (previous >= handled.highest()) {
				this.handledBefore = null;
			}
		}
		return first;
	}

	/**
	 * Take the records an earlier owner completed above the committed offset: they are
	 * complete as soon as they are received, and are not handled again. Call before the
	 * partition's first records are received.
	 * @param handled the records, as read from the commit's metadata
	 */
	public synchronized void skipHandled(CompletedOffsets handled) {
		this.handledBefore = handled.isEmpty() ? null : handled;
	}

	/**
	 * Return whether records received from now on may be complete on receipt, because an
	 * earlier owner handled them.
	 * @return true until the partition received every record the earlier owner handled
	 */
	public synchronized boolean skipsHandled() {
		return this.handledBefore != null;
	}

	/**
	 * Return whether a received record is complete.
	 * @param sequence the record's sequence number
	 * @return true if it is complete (or was passed by the watermark)
	 */
	public synchronized boolean isComplete(long sequence) {
		long distance = sequence - this.headSequence;
		if (distance < 0) {
			return true;
		}
		return distance < this.size && this.complete[slot((int) distance)];
	}

	/**
	 * Return the records above the committable offset that are complete, to be committed
	 * with it.
	 * @return the records, or {@link CompletedOffsets#NONE} when none is complete above
	 * an unfinished record
	 */
	public synchronized CompletedOffsets completedAbove() {
		CompletedOffsets handled = this.handledBefore;
		if (this.lastReceivedOffset < 0) {
			// Nothing received yet: what the earlier owner committed still holds.
			return (handled != null) ? handled : CompletedOffsets.NONE;
		}
		long base = committableOffset();
		long[] bounds = new long[8];
		int count = 0;
		boolean open = false;
		int ring = (this.size > 0 && this.lastCompletedOffset > this.offsets[this.head]) ? this.size : 0;
		for (int i = 1; i < ring; i++) {
			int slot = slot(i);
			if (this.complete[slot] != open) {
				if (count == bounds.length) {
					bounds = Arrays.copyOf(bounds, count * 2);
				}
				// A run of complete records ends where the next unfinished one is; the
				// offsets between them are not in the log.
				bounds[count++] = this.offsets[slot];
				open = !open;
			}
		}
		if (open) {
			if (count == bounds.length) {
				bounds = Arrays.copyOf(bounds, count + 1);
			}
			bounds[count++] = this.lastReceivedOffset + 1;
		}
		if (handled != null) {
			// Without these, a commit made before the partition received every record
			// the earlier owner completed would tell the next owner to handle them again.
			long[] inherited = handled.boundsAbove(Math.max(base, this.lastReceivedOffset));
			bounds = Arrays.copyOf(bounds, count + inherited.length);
			System.arraycopy(inherited, 0, bounds, count, inherited.length);
			count += inherited.length;
		}
		return CompletedOffsets.of(base, bounds, count);
	}

	/**
	 * Mark a record complete; the watermark moves past it once every earlier record is
	 * complete too.
	 * @param sequence the number {@link #receive(long)} returned for the record
	 * @return whether this call changed anything (false for repeats and unknown numbers)
	 */
	public synchronized boolean complete(long sequence) {
		long distance = sequence - this.headSequence;
		if (distance < 0 || distance >= this.size) {
			return false;
		}
		int slot = slot((int) distance);
		if (this.complete[slot]) {
			return false;
		}
		this.complete[slot] = true;
		this.lastCompletedOffset = Math.max(this.lastCompletedOffset, this.offsets[slot]);
		int outstanding = this.outstanding - 1;
		this.outstanding = outstanding;
		this.outstandingBytes = this.outstandingBytes - this.bytes[slot];
		advanceHead();
		if (outstanding == 0) {
			notifyAll();
		}
		return true;
	}

	private void advanceHead() {
		while (this.size > 0 && this.complete[this.head]) {
			this.head = (this.head + 1) % this.offsets.length;
			this.size--;
			this.headSequence++;
		}
	}

	/**
	 * Note that records of this partition enter a handler call, unless the partition was
	 * revoked. Atomic with {@link #revoke()}: a revocation that found nothing in flight
	 * after revoking never sees a call of these records start later, complete them, and
	 * go uncommitted (checking {@link #isRevoked()} first and then calling
	 * {@link #started} left that window open: a handler ran records a revocation had
	 * committed below).
	 * @param count how many records
	 * @return whether the records were noted; false, noting nothing, if the partition was
	 * revoked and its records must be abandoned
	 */
	public synchronized boolean startUnlessRevoked(int count) {
		if (this.revoked) {
			return false;
		}
		this.inFlight += count;
		return true;
	}

	/**
	 * Note that records of this partition, already in a handler call, wait for their
	 * effects to be acknowledged after the handler returned.
	 * @param count how many records
	 */
	public synchronized void started(int count) {
		this.inFlight += count;
	}

	/**
	 * Note that records of this partition left a handler call, or that their effects were
	 * acknowledged, whether or not they were completed.
	 * @param count how many records
	 */
	public synchronized void ended(int count) {
		this.inFlight -= count;
		if (this.inFlight <= 0) {
			this.inFlight = 0;
			notifyAll();
		}
	}

	/**
	 * Return the offset that is safe to commit: the next record a restarted consumer must
	 * read so that no unfinished record is skipped.
	 * @return the committable offset, or -1 if nothing was received yet
	 */
	public synchronized long committableOffset() {
		if (this.size > 0) {
			return this.offsets[this.head];
		}
		if (this.lastReceivedOffset < 0) {
			return -1;
		}
		CompletedOffsets handled = this.handledBefore;
		// The records an earlier owner completed right after the last one received are
		// complete too, though not received yet: committing past them keeps the
		// committed offset out of the set its metadata lists.
		return (handled != null) ? handled.firstAbsentFrom(this.lastReceivedOffset + 1) : this.lastReceivedOffset + 1;
	}

	/**
	 * Return the oldest received offset that is not complete.
	 * @return the offset, or -1 when every received record is complete
	 */
	public synchronized long oldestIncompleteOffset() {
		return (this.size > 0) ? this.offsets[this.head] : -1;
	}

	/**
	 * Return the highest offset whose record is complete. A graceful shutdown finishes
	 * the records below it, so that its commit covers every record that was handled.
	 * @return the offset, or -1 when no record received is complete
	 */
	public synchronized long lastCompletedOffset() {
		return this.lastCompletedOffset;
	}

	/**
	 * Return the last offset received.
	 * @return the offset, or -1 before the first record
	 */
	public synchronized long lastReceivedOffset() {
		return this.lastReceivedOffset;
	}

	/**
	 * Return how many received records are not complete yet (buffered or in flight).
	 * @return the number of outstanding records
	 */
	public int outstanding() {
		return this.outstanding;
	}

	/**
	 * Return the estimated memory of the records received and not yet complete.
	 * @return the estimate in bytes
	 */
	public long outstandingBytes() {
		return this.outstandingBytes;
	}

	/**
	 * Return how many records are inside a handler call right now.
	 * @return the number of records in flight
	 */
	public synchronized int inFlight() {
		return this.inFlight;
	}

	/**
	 * Note where the consumer stands in the partition, for the read model.
	 * @param position the consumer's position, or -1 if unknown
	 * @param endOffset the log-end offset as of the last fetch, or -1 if unknown
	 */
	public void observe(long position, long endOffset) {
		if (position >= 0 && this.firstPosition < 0) {
			this.firstPosition = position;
		}
		this.position = position;
		this.endOffset = endOffset;
	}

	/**
	 * Return the first position observed: where this assignment started fetching.
	 * @return the offset, or -1 if none was observed
	 */
	public long firstPosition() {
		return this.firstPosition;
	}

	/**
	 * Return the consumer's position as last observed.
	 * @return the offset, or -1 if unknown
	 */
	public long position() {
		return this.position;
	}

	/**
	 * Return the log-end offset as last observed.
	 * @return the offset, or -1 if unknown
	 */
	public long endOffset() {
		return this.endOffset;
	}

	/**
	 * Mark the partition as no longer owned by this consumer.
	 */
	public synchronized void revoke() {
		this.revoked = true;
		notifyAll();
	}

	/**
	 * Return whether the partition was revoked.
	 * @return true after {@link #revoke()}
	 */
	public synchronized boolean isRevoked() {
		return this.revoked;
	}

	/**
	 * Wait until no record of this partition is inside a handler call or waiting for its
	 * effects to be acknowledged (an at-least-once group-table write).
	 * @param timeout the longest time to wait
	 * @return true if nothing is in flight, false if the timeout passed first
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public synchronized boolean awaitNothingInFlight(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + saturatedNanos(timeout);
		while (this.inFlight > 0) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, remaining);
		}
		return true;
	}

	/**
	 * Wait until the partition is revoked or the time passes, whichever comes first: a
	 * back-off before a retry that a revocation cuts short.
	 * @param timeout the longest time to wait
	 * @return true if the partition was revoked, or the thread interrupted, before the
	 * time passed
	 */
	public synchronized boolean awaitRevocation(Duration timeout) {
		long deadline = System.nanoTime() + saturatedNanos(timeout);
		try {
			while (!this.revoked) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

	private int slot(int distanceFromHead) {
		return (this.head + distanceFromHead) % this.offsets.length;
	}

	private void grow() {
		int capacity = this.offsets.length * 2;
		long[] newOffsets = new long[capacity];
		boolean[] newComplete = new boolean[capacity];
		int[] newBytes = new int[capacity];
		for (int i = 0; i < this.size; i++) {
			int slot = slot(i);
			newOffsets[i] = this.offsets[slot];
			newComplete[i] = this.complete[slot];
			newBytes[i] = this.bytes[slot];
		}
		this.offsets = newOffsets;
		this.complete = newComplete;
		this.bytes = newBytes;
		this.head = 0;
	}

	@Override
	public synchronized String toString() {
		return "PartitionOffsets[" + this.topicPartition + ", committable=" + committableOffset() + ", outstanding="
				+ this.outstanding + ", inFlight=" + this.inFlight + (this.revoked ? ", revoked" : "") + "]";
	}

	// Visible for the unit tests of the ring buffer.
	synchronized int capacity() {
		return this.offsets.length;
	}

	synchronized long[] snapshotOffsets() {
		long[] result = new long[this.size];
		Arrays.setAll(result, (i) -> this.offsets[slot(i)]);
		return result;
	}

}
