package io.kafkaworker.admin;

/**
 * The watermarks of one partition and the records between them.
 *
 * @param partition the partition
 * @param low the low watermark: the offset of the first record still in the log (moved by
 * retention, compaction of the log's head, and {@code deleteRecords})
 * @param high the high watermark under the query's isolation: the offset the next record
 * will get (read_uncommitted), or the last stable offset, before the first record of a
 * transaction still open (read_committed)
 * @param messageCount {@code high - low}: an upper bound of the records a consumer can
 * read, since compaction leaves gaps between offsets and every commit or abort of a
 * transaction takes an offset of its own (a marker no consumer receives)
 */
public record Watermarks(int partition, long low, long high, long messageCount) {

	static Watermarks of(int partition, long low, long high) {
		return new Watermarks(partition, low, high, high - low);
	}

}
