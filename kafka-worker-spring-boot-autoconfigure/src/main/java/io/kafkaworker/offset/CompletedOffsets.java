package io.kafkaworker.offset;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.jspecify.annotations.Nullable;

/**
 * The records above a partition's committed offset that were complete when it was
 * committed, written into the commit's metadata so that the partition's next owner (or
 * the same worker after a crash) skips them instead of handling them again.
 *
 * <p>
 * Without it a worker that restarts from its lowest unfinished record handles again every
 * record completed above it: duplicates bounded by the backlog, not by the commit
 * interval. Parallel Consumer keeps the same information in its commit metadata; its
 * users found that metadata over the broker's {@code offset.metadata.max.bytes} made
 * commits fail, so {@link #encode(int)} returns nothing rather than a string over the
 * limit, and the caller commits the offset alone.
 *
 * <p>
 * The set is a list of intervals of offsets, each start above the committed offset (which
 * is by definition not complete). Offsets missing from the log (compaction, transaction
 * markers) may fall inside an interval: they are never delivered, so it does not matter.
 * The text is {@code kw1}, a kind letter, the committed offset, {@code :}, then the
 * URL-safe Base64 of either varint run lengths ({@code r}) or a bitset ({@code b}),
 * whichever is shorter, deflated when that is shorter still (upper-case kind). Text this
 * class did not write, or written for another offset, reads as {@link #NONE}.
 */
public final class CompletedOffsets {

	/** No record above the committed offset is known to be complete. */
	public static final CompletedOffsets NONE = new CompletedOffsets(-1, new long[0]);

	private static final String PREFIX = "kw1";

	// A decoded set may not claim more than this many offsets: a guard against metadata
	// that inflates to far more than any worker holds.
	private static final long MAX_SPAN = 64L * 1024 * 1024;

	private static final int MAX_INFLATED_BYTES = 8 * 1024 * 1024;

	private final long base;

	/**
	 * Start (inclusive) and end (exclusive) of each interval, ascending, not touching.
	 */
	private final long[] bounds;

	private CompletedOffsets(long base, long[] bounds) {
		this.base = base;
		this.bounds = bounds;
	}

	/**
	 * Create the set from intervals.
	 * @param base the committed offset; every interval starts above it
	 * @param bounds start (inclusive) and end (exclusive) of each interval, ascending;
	 * intervals that touch are merged
	 * @param length how many entries of {@code bounds} to take (twice the intervals)
	 * @return the set
	 * @throws IllegalArgumentException if the intervals are not above the base and
	 * ascending
	 */
	public static CompletedOffsets of(long base, long[] bounds, int length) {
		if (length % 2 != 0) {
			throw new IllegalArgumentException("Intervals come in pairs of start and end, got " + length + " bounds");
		}
		long[] merged = new long[length];
		int count = 0;
		long previousEnd = base + 1;
		for (int i = 0; i < length; i += 2) {
			long start = bounds[i];
			long end = bounds[i + 1];
			if (start < previousEnd || end <= start) {
				throw new IllegalArgumentException("Interval [" + start + ", " + end + ") is not above offset "
						+ (previousEnd - 1) + " of base " + base);
			}
			if (count > 0 && start == merged[count - 1]) {
				merged[count - 1] = end;
			}
			else {
				merged[count++] = start;
				merged[count++] = end;
			}
			previousEnd = end;
		}
		return (count == 0) ? NONE : new CompletedOffsets(base, Arrays.copyOf(merged, count));
	}

	/**
	 * Return the committed offset the set belongs to.
	 * @return the offset, or -1 for {@link #NONE}
	 */
	public long base() {
		return this.base;
	}

	/**
	 * Return whether the set is empty.
	 * @return true if no offset is in it
	 */
	public boolean isEmpty() {
		return this.bounds.length == 0;
	}

	/**
	 * Return whether an offset is in the set.
	 * @param offset the offset
	 * @return true if its record was complete
	 */
	public boolean contains(long offset) {
		// The interval whose start is the greatest start not above the offset.
		int low = 0;
		int high = this.bounds.length / 2 - 1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			long start = this.bounds[2 * middle];
			if (start > offset) {
				high = middle - 1;
			}
			else if (this.bounds[2 * middle + 1] <= offset) {
				low = middle + 1;
			}
			else {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the first offset, from the given one up, that is not in the set: the given
	 * offset itself, or the end of the interval that holds it.
	 * @param offset the offset
	 * @return the first offset not in the set at or above it
	 */
	public long firstAbsentFrom(long offset) {
		for (int i = 0; i < this.bounds.length; i += 2) {
			if (this.bounds[i] > offset) {
				break;
			}
			if (offset < this.bounds[i + 1]) {
				return this.bounds[i + 1];
			}
		}
		return offset;
	}

	/**
	 * Return the intervals of the set above an offset, the one that holds it cut to start
	 * after it.
	 * @param offset the offset
	 * @return start (inclusive) and end (exclusive) of each interval, ascending
	 */
	long[] boundsAbove(long offset) {
		int from = 0;
		while (from < this.bounds.length && this.bounds[from + 1] <= offset + 1) {
			from += 2;
		}
		long[] above = Arrays.copyOfRange(this.bounds, from, this.bounds.length);
		if (above.length > 0 && above[0] <= offset) {
			above[0] = offset + 1;
		}
		return above;
	}

	/**
	 * Return the highest offset in the set.
	 * @return the offset, or -1 if the set is empty
	 */
	public long highest() {
		return isEmpty() ? -1 : this.bounds[this.bounds.length - 1] - 1;
	}

	/**
	 * Return how many offsets the intervals cover (missing offsets included).
	 * @return the number of offsets
	 */
	public long span() {
		long span = 0;
		for (int i = 0; i < this.bounds.length; i += 2) {
			span += this.bounds[i + 1] - this.bounds[i];
		}
		return span;
	}

	/**
	 * Write the set as commit metadata.
	 * @param maxChars the most characters the text may have
	 * @return the text, or null if the set is empty or its text would be longer than
	 * {@code maxChars}
	 */
	public @Nullable String encode(int maxChars) {
		if (isEmpty()) {
			return null;
		}
		byte[] runs = runs();
		// A bitset longer than 8 bytes per allowed character would not fit even deflated.
		byte[] bits = (highest() - this.base <= (long) maxChars * 64) ? bits() : null;
		boolean useRuns = bits == null || runs.length <= bits.length;
		byte[] payload = (useRuns || bits == null) ? runs : bits;
		char kind = useRuns ? 'r' : 'b';
		byte[] deflated = deflate(payload);
		if (deflated.length < payload.length) {
			payload = deflated;
			kind = Character.toUpperCase(kind);
		}
		String text = PREFIX + kind + this.base + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
		return (text.length() <= maxChars) ? text : null;
	}

	/**
	 * Read the set from commit metadata.
	 * @param committedOffset the offset committed with the metadata
	 * @param metadata the metadata, possibly null, empty or written by another client
	 * @return the set, or {@link #NONE} if the metadata is not a set of this class for
	 * that offset, or is malformed
	 */
	public static CompletedOffsets decode(long committedOffset, @Nullable String metadata) {
		if (metadata == null || metadata.length() < PREFIX.length() + 3 || !metadata.startsWith(PREFIX)) {
			return NONE;
		}
		char kind = metadata.charAt(PREFIX.length());
		int colon = metadata.indexOf(':', PREFIX.length() + 1);
		if (colon < 0) {
			return NONE;
		}
		try {
			long base = Long.parseLong(metadata, PREFIX.length() + 1, colon, 10);
			if (base != committedOffset || base < 0) {
				return NONE;
			}
			byte[] payload = Base64.getUrlDecoder()
				.decode(metadata.substring(colon + 1).getBytes(StandardCharsets.US_ASCII));
			if (Character.isUpperCase(kind)) {
				payload = inflate(payload);
			}
			return switch (Character.toLowerCase(kind)) {
				case 'r' -> fromRuns(base, payload);
				case 'b' -> fromBits(base, payload);
				default -> NONE;
			};
		}
		catch (IllegalArgumentException | DataFormatException | ArrayIndexOutOfBoundsException ex) {
			return NONE;
		}
	}

	// Varints: the gap from the offset after the base to the first start, then each
	// interval's length and the gap to the next start.
	private byte[] runs() {
		ByteArrayOutputStream out = new ByteArrayOutputStream(this.bounds.length * 2);
		long previousEnd = this.base + 1;
		for (int i = 0; i < this.bounds.length; i += 2) {
			writeVarint(out, this.bounds[i] - previousEnd);
			writeVarint(out, this.bounds[i + 1] - this.bounds[i]);
			previousEnd = this.bounds[i + 1];
		}
		return out.toByteArray();
	}

	private static CompletedOffsets fromRuns(long base, byte[] payload) {
		long[] bounds = new long[16];
		int count = 0;
		long position = base + 1;
		int[] index = { 0 };
		while (index[0] < payload.length) {
			long start = position + readVarint(payload, index);
			long end = start + readVarint(payload, index);
			if (end <= start || end - base > MAX_SPAN) {
				return NONE;
			}
			if (count == bounds.length) {
				bounds = Arrays.copyOf(bounds, count * 2);
			}
			bounds[count++] = start;
			bounds[count++] = end;
			position = end;
		}
		return of(base, bounds, count);
	}

	// Bit i stands for offset base + 1 + i.
	private byte[] bits() {
		long span = highest() - this.base;
		byte[] bits = new byte[(int) ((span + 7) / 8)];
		for (int i = 0; i < this.bounds.length; i += 2) {
			for (long offset = this.bounds[i]; offset < this.bounds[i + 1]; offset++) {
				long bit = offset - this.base - 1;
				bits[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
			}
		}
		return bits;
	}

	private static CompletedOffsets fromBits(long base, byte[] bits) {
		long[] bounds = new long[16];
		int count = 0;
		long start = -1;
		long total = (long) bits.length * 8;
		for (long bit = 0; bit < total; bit++) {
			boolean set = (bits[(int) (bit >>> 3)] & (1 << (bit & 7))) != 0;
			long offset = base + 1 + bit;
			if (set && start < 0) {
				start = offset;
			}
			else if (!set && start >= 0) {
				if (count == bounds.length) {
					bounds = Arrays.copyOf(bounds, count * 2);
				}
				bounds[count++] = start;
				bounds[count++] = offset;
				start = -1;
			}
		}
		if (start >= 0) {
			if (count == bounds.length) {
				bounds = Arrays.copyOf(bounds, count + 2);
			}
			bounds[count++] = start;
			bounds[count++] = base + 1 + total;
		}
		return of(base, bounds, count);
	}

	private static void writeVarint(ByteArrayOutputStream out, long value) {
		long remaining = value;
		while ((remaining & ~0x7FL) != 0) {
			out.write((int) ((remaining & 0x7F) | 0x80));
			remaining >>>= 7;
		}
		out.write((int) remaining);
	}

	private static long readVarint(byte[] bytes, int[] index) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte next = bytes[index[0]++];
			value |= (long) (next & 0x7F) << shift;
			if ((next & 0x80) == 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("varint longer than 64 bits");
	}

	private static byte[] deflate(byte[] bytes) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			deflater.setInput(bytes);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 16);
			byte[] buffer = new byte[1024];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	private static byte[] inflate(byte[] bytes) throws DataFormatException {
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(bytes);
			ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
			byte[] buffer = new byte[1024];
			while (!inflater.finished()) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					// Raw deflate data may need one more byte to see its end.
					if (inflater.needsInput()) {
						break;
					}
					throw new DataFormatException("deflate data needs a dictionary");
				}
				out.write(buffer, 0, count);
				if (out.size() > MAX_INFLATED_BYTES) {
					throw new DataFormatException("inflates to more than " + MAX_INFLATED_BYTES + " bytes");
				}
			}
			return out.toByteArray();
		}
		finally {
			inflater.end();
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof CompletedOffsets that) && this.base == that.base
				&& Arrays.equals(this.bounds, that.bounds);
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.base) * 31 + Arrays.hashCode(this.bounds);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("CompletedOffsets[above ").append(this.base).append(':');
		for (int i = 0; i < this.bounds.length && i < 20; i += 2) {
			text.append(' ').append(this.bounds[i]).append('-').append(this.bounds[i + 1] - 1);
		}
		return text.append((this.bounds.length > 20) ? " ...]" : "]").toString();
	}

}
