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

/**
 * An append-only file of handled records, one line each ({@code partition,offset,key}),
 * written with one system call per record so that it survives {@code kill -9} of the
 * writing JVM: what the handler finished is on disk before the record can be committed.
 */
public final class HandledLog implements AutoCloseable {

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
	public synchronized void append(int partition, long offset, String key) {
		try {
			this.channel
				.write(ByteBuffer.wrap((partition + "," + offset + "," + key + "\n").getBytes(StandardCharsets.UTF_8)));
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
		if (!Files.exists(path)) {
			return entries;
		}
		try {
			String content = Files.readString(path);
			int end = content.lastIndexOf('\n');
			if (end < 0) {
				return entries;
			}
			for (String line : content.substring(0, end).split("\n")) {
				String[] fields = line.split(",", 3);
				entries.add(new Entry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), fields[2]));
			}
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Count the complete lines of a log.
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
			for (byte b : bytes) {
				if (b == '\n') {
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

}
