package io.kafkaworker.testsupport;

import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one source of randomness of a randomised test: the records it produces, its
 * handlers' delays and its kill moments all derive from it, and every failure names it,
 * timeouts included. Rerun a failure with {@code -Dkafka-worker.test.seed=<seed>}.
 */
public final class Seed {

	/** The system property that fixes the seed, to reproduce a failure. */
	public static final String PROPERTY = "kafka-worker.test.seed";

	private final long value;

	private Seed(long value) {
		this.value = value;
	}

	/**
	 * Return the seed given with {@value #PROPERTY}, or a fresh one.
	 * @return the seed
	 */
	public static Seed create() {
		return new Seed(Long.getLong(PROPERTY, System.nanoTime()));
	}

	/**
	 * Return a seed with a known value, for a child JVM given its parent's seed.
	 * @param value the value
	 * @return the seed
	 */
	public static Seed of(long value) {
		return new Seed(value);
	}

	/**
	 * Return another seed derived from this one, for a second independent stream.
	 * @param salt what tells the derived seeds of one seed apart
	 * @return the derived seed
	 */
	public Seed derive(long salt) {
		return new Seed(new SplittableRandom(this.value ^ (salt * 0xBF58476D1CE4E5B9L)).nextLong());
	}

	/**
	 * Return the seed's value.
	 * @return the value
	 */
	public long value() {
		return this.value;
	}

	/**
	 * Return a fresh random sequence from this seed (the same one on every call).
	 * @return a random number generator
	 */
	public Random random() {
		return new Random(this.value);
	}

	/**
	 * Return the delay of one handling of a record: a pure function of the seed and the
	 * record, so that a run's delays are reproducible whatever thread handles it.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @param maxMicros the longest delay
	 * @param percent how many records of a hundred wait at all
	 * @return the delay in nanoseconds, possibly 0
	 */
	public long delayNanos(int partition, long offset, long maxMicros, int percent) {
		SplittableRandom random = new SplittableRandom(this.value ^ (offset * 0x9E3779B97F4A7C15L + partition));
		if (random.nextInt(100) >= percent || maxMicros <= 0) {
			return 0;
		}
		return random.nextLong(maxMicros * 1000 + 1);
	}

	/**
	 * Start an await whose timeout names what it waited for and this seed.
	 * @param what what the test waits for
	 * @param atMost the longest wait
	 * @return the condition factory
	 */
	public ConditionFactory await(String what, Duration atMost) {
		return Awaitility.await(what + " (" + this + ")").atMost(atMost);
	}

	@Override
	public String toString() {
		return "seed " + this.value;
	}

}
