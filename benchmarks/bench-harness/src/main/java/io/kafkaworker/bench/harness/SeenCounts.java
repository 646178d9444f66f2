package io.kafkaworker.bench.harness;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The harness's own correctness check: every offset below each partition's end offset
 * (read from the broker) handled at least once; extra handlings counted. The counts are
 * the probes' seen files added up: one file for a contender alone, one per JVM for a
 * fleet, where a record two members handled is a duplicate like one handled twice by one
 * JVM. The records of the failing partition from {@code failFrom} on (when
 * {@code failPartition >= 0}) fail every time: they are not expected, and their counts
 * are the calls on them.
 *
 * @param missing records never handled
 * @param duplicates extra handlings of the records handled more than once
 * @param failingTried failing records called at least once
 * @param failing failing records
 */
record SeenCounts(long missing, long duplicates, long failingTried, long failing) {

	/**
	 * Read seen files against the end offsets.
	 * @param seenFiles the probes' files; one that does not exist counts nothing
	 * @param endOffsets each partition's end offset
	 * @param failPartition the failing partition, or -1
	 * @param failFrom its first failing offset
	 * @return the counts
	 * @throws IOException if a file cannot be read
	 */
	static SeenCounts read(List<Path> seenFiles, long[] endOffsets, int failPartition, long failFrom)
			throws IOException {
		int[][] counts = new int[endOffsets.length][];
		for (int partition = 0; partition < endOffsets.length; partition++) {
			counts[partition] = new int[(int) endOffsets[partition]];
		}
		for (Path seenFile : seenFiles) {
			if (Files.exists(seenFile)) {
				add(seenFile, counts);
			}
		}
		long missing = 0;
		long duplicates = 0;
		long failingTried = 0;
		long failing = (failPartition >= 0) ? Math.max(0, endOffsets[failPartition] - failFrom) : 0;
		for (int partition = 0; partition < endOffsets.length; partition++) {
			for (int offset = 0; offset < counts[partition].length; offset++) {
				int count = counts[partition][offset];
				if (partition == failPartition && offset >= failFrom) {
					failingTried += (count > 0) ? 1 : 0;
				}
				else if (count == 0) {
					missing++;
				}
				else {
					duplicates += count - 1;
				}
			}
		}
		return new SeenCounts(missing, duplicates, failingTried, failing);
	}

	// The probe's format: the partition count, then per partition its length and one
	// byte per offset, how many times it was handled. Offsets past the end offsets are
	// ignored.
	private static void add(Path seenFile, int[][] counts) throws IOException {
		try (DataInputStream in = new DataInputStream(
				new BufferedInputStream(Files.newInputStream(seenFile), 1 << 16))) {
			int partitions = in.readInt();
			for (int partition = 0; partition < partitions; partition++) {
				int length = in.readInt();
				int[] target = (partition < counts.length) ? counts[partition] : new int[0];
				for (int offset = 0; offset < length; offset++) {
					byte count = in.readByte();
					if (offset < target.length) {
						target[offset] += count;
					}
				}
			}
		}
	}

}
