package io.kafkaworker.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of milliseconds: 1 ms buckets below 10 s, 10 ms buckets below
 * 1,000 s, and one overflow bucket. Small enough (about 0.9 MB) to cost every contender
 * the same in the bounded-memory scenario.
 */
final class LatencyHistogram {

	private static final int FINE_LIMIT = 10_000;

	private static final int COARSE_STEP = 10;

	private static final int COARSE_LIMIT = 1_000_000;

	private static final int BUCKETS = FINE_LIMIT + (COARSE_LIMIT - FINE_LIMIT) / COARSE_STEP + 1;

	private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

	void record(long millis) {
		this.counts.incrementAndGet(bucket(Math.max(0, millis)));
	}

	/**
	 * Return a percentile in milliseconds (the upper edge of its bucket), or -1 when
	 * empty.
	 * @param percentile between 0 and 100
	 * @return the value
	 */
	long percentile(double percentile) {
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			total += this.counts.get(i);
		}
		if (total == 0) {
			return -1;
		}
		long rank = (long) Math.ceil(total * percentile / 100.0);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += this.counts.get(i);
			if (seen >= rank) {
				return upperEdge(i);
			}
		}
		return upperEdge(BUCKETS - 1);
	}

	/**
	 * Write the histogram as text, one line per non-empty bucket: its upper edge in
	 * milliseconds and its count. The harness adds up those of a fleet's members.
	 * @param file the file
	 * @throws IOException if it cannot be written
	 */
	void writeTo(Path file) throws IOException {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < BUCKETS; i++) {
			long count = this.counts.get(i);
			if (count > 0) {
				text.append(upperEdge(i)).append(' ').append(count).append('\n');
			}
		}
		Files.writeString(file, text, StandardCharsets.US_ASCII);
	}

	private static int bucket(long millis) {
		if (millis < FINE_LIMIT) {
			return (int) millis;
		}
		if (millis < COARSE_LIMIT) {
			return FINE_LIMIT + (int) ((millis - FINE_LIMIT) / COARSE_STEP);
		}
		return BUCKETS - 1;
	}

	private static long upperEdge(int bucket) {
		if (bucket < FINE_LIMIT) {
			return bucket;
		}
		return FINE_LIMIT + (long) (bucket - FINE_LIMIT) * COARSE_STEP + COARSE_STEP - 1;
	}

}
