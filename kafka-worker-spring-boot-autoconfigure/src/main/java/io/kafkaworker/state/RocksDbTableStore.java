package io.kafkaworker.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * A {@link TableStore} on disk, in RocksDB (as Kafka Streams keeps its state): rows
 * larger than the heap fit, with RocksDB's own bounded caches in memory. One database per
 * group table, in the directory {@code parent/tableTopic}, kept across restarts; a key is
 * stored after its partition number, so that dropping a partition is one range delete.
 * <p>
 * The store keeps checkpoints (as Kafka Streams' {@code .checkpoint} files do): a
 * partition let go cleanly keeps its rows and the table offset they were read up to, so
 * that its next restore — after a restart or when the partition comes back — reads only
 * the table's tail. The checkpoint is dropped, with a synchronous write, before the
 * partition's rows change again, so rows that a crash leaves behind are never trusted:
 * the partition is then restored from the beginning of the table. A checkpoint lives in
 * the database itself under a prefix no partition has, so rows and checkpoints recover
 * from RocksDB's write-ahead log together.
 * <p>
 * When another store holds the directory (a second instance of the application on the
 * same machine and directory), the store opens a directory of its own that is deleted
 * when it closes, and keeps no checkpoints there.
 */
public final class RocksDbTableStore implements TableStore {

	private static final Log logger = LogFactory.getLog(RocksDbTableStore.class);

	// Sorts after every partition's rows; a checkpoint's key is this prefix and the
	// partition number.
	private static final int CHECKPOINTS = -1;

	private final Path directory;

	private final boolean temporary;

	private final Options options;

	private final WriteOptions durable;

	private final RocksDB db;

	/**
	 * Open the store of a group table, with the checkpoints an earlier run left.
	 * @param parent the directory of the application's group tables
	 * @param name the store's directory under it (the table topic)
	 */
	public RocksDbTableStore(Path parent, String name) {
		this(parent, name, false);
	}

	/**
	 * Open a store in a directory of its own under the given one, deleted when the store
	 * closes, without checkpoints: for a view, which reads its whole table when it
	 * starts.
	 * @param parent where to create the directory
	 * @param name a prefix for the directory's name
	 * @return the store
	 */
	public static RocksDbTableStore temporary(Path parent, String name) {
		return new RocksDbTableStore(parent, name, true);
	}

	private RocksDbTableStore(Path parent, String name, boolean ownDirectory) {
		RocksDB.loadLibrary();
		this.options = new Options().setCreateIfMissing(true);
		this.durable = new WriteOptions().setSync(true);
		Path shared = parent.resolve(name);
		RocksDB opened;
		Path directory = shared;
		boolean temporary = false;
		try {
			Files.createDirectories(parent);
			if (ownDirectory) {
				directory = Files.createTempDirectory(parent, name + "-");
				temporary = true;
				opened = RocksDB.open(this.options, directory.toString());
			}
			else {
				Files.createDirectories(shared);
				try {
					opened = RocksDB.open(this.options, shared.toString());
				}
				catch (RocksDBException ex) {
					// The lock of another open store, most likely: keep going on a copy
					// of one's own, restored from the beginning of the table.
					directory = Files.createTempDirectory(parent, name + "-");
					temporary = true;
					logger.warn("Group table store " + shared + " is in use (" + ex.getMessage() + "); using "
							+ directory + " until this worker closes, without checkpoints");
					opened = RocksDB.open(this.options, directory.toString());
				}
			}
		}
		catch (IOException ex) {
			close(this.options, this.durable);
			throw new UncheckedIOException("Cannot create the group table store under " + parent, ex);
		}
		catch (RocksDBException ex) {
			close(this.options, this.durable);
			throw new IllegalStateException("Cannot open the group table store in " + directory, ex);
		}
		this.db = opened;
		this.directory = directory;
		this.temporary = temporary;
	}

	/**
	 * Return the store's directory.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	@Override
	public boolean keepsCheckpoints() {
		return !this.temporary;
	}

	@Override
	public long checkpoint(int partition) {
		if (this.temporary) {
			return -1;
		}
		try {
			byte[] offset = this.db.get(checkpointKey(partition));
			return (offset != null) ? ByteBuffer.wrap(offset).getLong() : -1;
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot read the checkpoint of partition " + partition, ex);
		}
	}

	@Override
	public void checkpoint(int partition, long offset) {
		if (this.temporary) {
			return;
		}
		try {
			if (offset >= 0) {
				this.db.put(this.durable, checkpointKey(partition),
						ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
			}
			else {
				this.db.delete(this.durable, checkpointKey(partition));
			}
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot write the checkpoint of partition " + partition, ex);
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
			if (!this.temporary) {
				this.db.delete(this.durable, checkpointKey(partition));
			}
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Cannot clear partition " + partition + " of the group table store", ex);
		}
	}

	@Override
	public void forEach(int partition, BiConsumer<Bytes, byte[]> action) {
		byte[] end = prefix(partition + 1);
		try (RocksIterator iterator = this.db.newIterator()) {
			for (iterator.seek(prefix(partition)); iterator.isValid()
					&& Arrays.compareUnsigned(iterator.key(), end) < 0; iterator.next()) {
				byte[] key = iterator.key();
				action.accept(Bytes.wrap(Arrays.copyOfRange(key, Integer.BYTES, key.length)), iterator.value());
			}
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
		close(this.options, this.durable);
		if (!this.temporary) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Best effort: the directory is a temporary one.
		}
	}

	private static void close(Options options, WriteOptions writeOptions) {
		writeOptions.close();
		options.close();
	}

	private static byte[] checkpointKey(int partition) {
		return ByteBuffer.allocate(2 * Integer.BYTES).putInt(CHECKPOINTS).putInt(partition).array();
	}

	private static byte[] key(int partition, Bytes key) {
		byte[] bytes = key.get();
		return ByteBuffer.allocate(Integer.BYTES + bytes.length).putInt(partition).put(bytes).array();
	}

	private static byte[] prefix(int partition) {
		return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
	}

}
