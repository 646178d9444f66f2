package io.kafkaworker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An append-only file of handled records, one line each ({@code partition,offset,key}),
 * written with one system call per record so that it survives {@code kill -9} of the
 * writing JVM: what the handler finished is on disk before the record can be committed.
 * <p>
 * The log may also hold when a handler started a record ({@code start,partition,offset})
 * and the offsets the worker's consumer committed ({@code commit,partition,offset}, by
 * {@link CommitLog}, with the commit's metadata after a fourth comma). Every line is one
 * {@code write} to a file opened for appending, so the order of the lines is the order in
 * which they happened, across threads: a commit line follows the finish line of every
 * record its commit could rely on.
 */
public final class HandledLog implements AutoCloseable {

	private static final String START = "start";

	private static final String COMMIT = "commit";

	private final FileChannel channel;

	/**
	 * Open a log for appending.
	 * @param path the file
	 */
	public HandledLog(Path path) {
		try {
			this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Append one handled record.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 * @param key the record's key
	 */
	public void append(int partition, long offset, String key) {
		write(partition + "," + offset + "," + key + "\n");
	}

	/**
	 * Note that a handler started a record.
	 * @param partition the record's partition
	 * @param offset the record's offset
	 */
	public void started(int partition, long offset) {
		write(START + "," + partition + "," + offset + "\n");
	}

	/**
	 * Note offsets that a commit stored, all in one write.
	 * @param offsets the offset committed for each partition
	 */
	public void committed(Map<Integer, Long> offsets) {
		committed(offsets, Map.of());
	}

	/**
	 * Note offsets that a commit stored, with their metadata, all in one write.
	 * @param offsets the offset committed for each partition
	 * @param metadata the metadata committed with each offset, if any
	 */
	public void committed(Map<Integer, Long> offsets, Map<Integer, String> metadata) {
		StringBuilder lines = new StringBuilder();
		offsets.forEach((partition, offset) -> lines
			.append(COMMIT + "," + partition + "," + offset + "," + metadata.getOrDefault(partition, "") + "\n"));
		write(lines.toString());
	}

	private synchronized void write(String lines) {
		try {
			this.channel.write(ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	/**
	 * Read every complete line of a log.
	 * @param path the file
	 * @return the handled records, in the order they were written
	 */
	public static List<Entry> read(Path path) {
		List<Entry> entries = new ArrayList<>();
		for (String line : lines(path)) {
			if (isHandled(line)) {
				String[] fields = line.split(",", 3);
				entries.add(new Entry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), fields[2]));
			}
		}
		return entries;
	}

	/**
	 * Read every complete line of a log: starts, finishes and commits.
	 * @param path the file
	 * @return the events, in the order they happened
	 */
	public static List<Event> timeline(Path path) {
		List<Event> events = new ArrayList<>();
		for (String line : lines(path)) {
			String[] fields = line.split(",", 4);
			if (isHandled(line)) {
				events.add(new Event(Kind.FINISH, Integer.parseInt(fields[0]), Long.parseLong(fields[1]), ""));
			}
			else {
				Kind kind = fields[0].equals(START) ? Kind.START : Kind.COMMIT;
				events.add(new Event(kind, Integer.parseInt(fields[1]), Long.parseLong(fields[2]),
						(fields.length > 3) ? fields[3] : ""));
			}
		}
		return events;
	}

	private static List<String> lines(Path path) {
		if (!Files.exists(path)) {
			return List.of();
		}
		try {
			String content = Files.readString(path);
			int end = content.lastIndexOf('\n');
			return (end < 0) ? List.of() : List.of(content.substring(0, end).split("\n"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isHandled(String line) {
		return !line.isEmpty() && Character.isDigit(line.charAt(0));
	}

	/**
	 * Count the handled records of a log.
	 * @param path the file
	 * @return the number of handled records written so far
	 */
	public static long count(Path path) {
		try {
			if (!Files.exists(path)) {
				return 0;
			}
			byte[] bytes = Files.readAllBytes(path);
			long lines = 0;
			boolean handledLine = false;
			for (int i = 0; i < bytes.length; i++) {
				if (i == 0 || bytes[i - 1] == '\n') {
					handledLine = Character.isDigit(bytes[i]);
				}
				if (bytes[i] == '\n' && handledLine) {
					lines++;
				}
			}
			return lines;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One handled record.
	 *
	 * @param partition the partition
	 * @param offset the offset
	 * @param key the key
	 */
	public record Entry(int partition, long offset, String key) {

	}

	/**
	 * What a line of the log says.
	 */
	public enum Kind {

		/** A handler started a record. */
		START,

		/** A handler finished a record. */
		FINISH,

		/** The consumer committed an offset. */
		COMMIT

	}

	/**
	 * One line of the log.
	 *
	 * @param kind what happened
	 * @param partition the partition
	 * @param offset the record's offset, or the committed offset
	 * @param metadata the metadata committed with the offset, empty if none
	 */
	public record Event(Kind kind, int partition, long offset, String metadata) {

	}

}
