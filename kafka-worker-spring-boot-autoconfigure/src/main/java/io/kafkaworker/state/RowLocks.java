package io.kafkaworker.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.utils.Bytes;

/**
 * One lock per group-table row that a handler call holds now, for workers whose rows can
 * have two writers at once: a worker of several topics (its input and its loopback topic,
 * say) runs one lane per topic partition and key, so a key's records of two topics may
 * run at the same time. A call holds its row's lock from opening the row to writing its
 * change; a lock exists only while some call holds or waits for it. Written here because
 * the lock must follow a row, not a lane: the lane scheduler's exclusivity is per topic
 * partition.
 */
final class RowLocks {

	private final Map<RowKey, Holder> held = new ConcurrentHashMap<>();

	/**
	 * Lock a row, waiting while another call holds it.
	 * @param partition the table partition
	 * @param key the serialized key
	 * @return unlocks the row; run it on the same thread
	 */
	Runnable lock(int partition, Bytes key) {
		RowKey row = new RowKey(partition, key);
		Holder holder = this.held.compute(row, (ignored, existing) -> {
			Holder current = (existing != null) ? existing : new Holder();
			current.users++;
			return current;
		});
		holder.lock.lock();
		return () -> {
			holder.lock.unlock();
			this.held.computeIfPresent(row, (ignored, current) -> (--current.users == 0) ? null : current);
		};
	}

	/**
	 * Return how many rows are locked or waited for now.
	 * @return the number of rows
	 */
	int size() {
		return this.held.size();
	}

	private record RowKey(int partition, Bytes key) {

	}

	private static final class Holder {

		private final ReentrantLock lock = new ReentrantLock();

		// Guarded by the map's compute for this row.
		private int users;

	}

}
