package io.kafkaworker.samples.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The database or remote service a sample's worker writes to, in memory: each
 * {@link #save save} takes {@code demo.work-ms} (simulated I/O) and remembers the record
 * and when the call ran. The sample's tests read what was saved to check the mode's
 * promise: order, calls at once, nothing lost or saved twice.
 */
public class DemoStore {

	private final Queue<Saved> saved = new ConcurrentLinkedQueue<>();

	private final long workMs;

	/**
	 * Create a store.
	 * @param workMs milliseconds each save takes
	 */
	public DemoStore(long workMs) {
		this.workMs = workMs;
	}

	/**
	 * Save a record, as a call to a database or a remote service would.
	 * @param record the record
	 * @throws InterruptedException if interrupted while saving (when the worker's
	 * shutdown timeout runs out); the record is then not saved
	 */
	public void save(ConsumerRecord<String, String> record) throws InterruptedException {
		saveAll(List.of(record));
	}

	/**
	 * Save records in one call, as a bulk insert would: it takes {@code demo.work-ms}
	 * once.
	 * @param records the records
	 * @throws InterruptedException if interrupted while saving; the records are then not
	 * saved
	 */
	public void saveAll(List<ConsumerRecord<String, String>> records) throws InterruptedException {
		long startNanos = System.nanoTime();
		Thread.sleep(this.workMs);
		long endNanos = System.nanoTime();
		for (ConsumerRecord<String, String> record : records) {
			this.saved.add(
					new Saved(record.topic(), record.partition(), record.offset(), record.key(), startNanos, endNanos));
		}
	}

	/**
	 * Return the records saved so far, in the order their saves finished.
	 * @return the records
	 */
	public List<Saved> saved() {
		return List.copyOf(this.saved);
	}

	/**
	 * Return how many records were saved so far.
	 * @return the count
	 */
	public int count() {
		return this.saved.size();
	}

	/**
	 * Return the most saves that ran at the same time.
	 * @param saved saved records
	 * @return the largest number of them whose saves overlapped at one moment
	 */
	public static int mostAtOnce(Collection<Saved> saved) {
		// +1 at each start, -1 at each end, in time order; an end sorts before a start
		// at the same instant, since the two calls did not overlap.
		List<long[]> events = new ArrayList<>(saved.size() * 2);
		for (Saved record : saved) {
			events.add(new long[] { record.startNanos(), 1 });
			events.add(new long[] { record.endNanos(), -1 });
		}
		events.sort(Comparator.<long[]>comparingLong((event) -> event[0]).thenComparingLong((event) -> event[1]));
		int running = 0;
		int most = 0;
		for (long[] event : events) {
			running += (int) event[1];
			most = Math.max(most, running);
		}
		return most;
	}

	/**
	 * One saved record.
	 *
	 * @param topic its topic
	 * @param partition its partition
	 * @param offset its offset
	 * @param key its key
	 * @param startNanos when its save began ({@link System#nanoTime()})
	 * @param endNanos when its save ended
	 */
	public record Saved(String topic, int partition, long offset, @Nullable String key, long startNanos,
			long endNanos) {

		/**
		 * Return where the record is.
		 * @return {@code topic-partition@offset}
		 */
		public String position() {
			return this.topic + "-" + this.partition + "@" + this.offset;
		}

	}

}
