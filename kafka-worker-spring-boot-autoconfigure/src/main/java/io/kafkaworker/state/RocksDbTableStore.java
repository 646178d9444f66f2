package io.kafkaworker.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link TableStore} on disk, in RocksDB (as Kafka Streams keeps its state): rows
 * larger than the heap fit, with RocksDB's own bounded caches in memory. One database per
 * worker, in a directory of its own that is deleted when the worker closes; a key is
 * stored after its partition number, so that dropping a partition is one range delete.
 * <p>
 * Like the in-memory store it is rebuilt from the table topic whenever a partition is
 * assigned: the table topic stays the source of truth, and nothing on disk is trusted
 * across restarts.
 */
public final class RocksDbTableStore implements TableStore {

	private final Path directory;

	private final Options options;

	private final RocksDB db;

	/**
	 * Open a store in a new directory under the given one.
	 * @param parent where to create the store's directory
	 * @param name a name for the directory (the worker id)
	 */
	public RocksDbTableStore(Path parent, String name) {
		RocksDB.loadLibrary();
		try {
			Files.createDirectories(parent);
			this.directory = Files.createTempDirectory(parent, name + "-");
			this.options = new Options().setCreateIfMissing(true);
			this.db = RocksDB.open(this.options, this.directory.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the group table store under " + parent, ex);
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot open the group table store in " + parent, ex);
		}
	}

	@Override
	public byte @Nullable [] get(int partition, Bytes key) {
		try {
			return this.db.get(key(partition, key));
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot read the group table store", ex);
		}
	}

	@Override
	public void put(int partition, Bytes key, byte[] value) {
		try {
			this.db.put(key(partition, key), value);
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot write the group table store", ex);
		}
	}

	@Override
	public void delete(int partition, Bytes key) {
		try {
			this.db.delete(key(partition, key));
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot write the group table store", ex);
		}
	}

	@Override
	public void clear(int partition) {
		try {
			this.db.deleteRange(prefix(partition), prefix(partition + 1));
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot clear partition " + partition + " of the group table store", ex);
		}
	}

	@Override
	public long size(int partition) {
		byte[] prefix = prefix(partition);
		byte[] end = prefix(partition + 1);
		long rows = 0;
		try (RocksIterator iterator = this.db.newIterator()) {
			// Unsigned, as RocksDB orders keys.
			for (iterator.seek(prefix); iterator.isValid() && Arrays.compareUnsigned(iterator.key(), end) < 0; iterator
				.next()) {
				rows++;
			}
		}
		return rows;
	}

	@Override
	public void close() {
		this.db.close();
		this.options.close();
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Best effort: the directory is a temporary one.
		}
	}

	private static byte[] key(int partition, Bytes key) {
		byte[] bytes = key.get();
		return ByteBuffer.allocate(Integer.BYTES + bytes.length).putInt(partition).put(bytes).array();
	}

	private static byte[] prefix(int partition) {
		return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
	}

}
