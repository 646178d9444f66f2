package io.kafkaworker.state;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A {@link TableView} kept by a consumer thread of its own: it assigns itself every
 * partition of the table topic, reads from the beginning with {@code read_committed} and
 * never commits, applying each record to a concurrent map (a null value deletes the row).
 * Comparable keys are kept in key order.
 *
 * @param <K> the type of the keys
 * @param <V> the type of the values
 */
public final class KafkaTableView<K, V> implements TableView<K, V>, SmartLifecycle, AutoCloseable {

	private static final Log logger = LogFactory.getLog(KafkaTableView.class);

	private static final Duration POLL = Duration.ofMillis(200);

	private static final Duration TOPIC_WAIT = Duration.ofMillis(500);

	private final String name;

	private final String topic;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final Class<K> keyType;

	// Chosen once, by the view's store.
	private final ViewRows<K, V> rows;

	private final CountDownLatch recovered = new CountDownLatch(1);

	private volatile @Nullable Consumer<byte[], byte[]> consumer;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	private volatile Map<TopicPartition, Long> lags = Map.of();

	/**
	 * Create a view with its rows on the heap.
	 * @param name the view's name
	 * @param topic the table topic
	 * @param consumers creates a consumer of bytes (no group needed)
	 * @param keyType the type of the keys
	 * @param keys the key serde
	 * @param values the value serde
	 */
	public KafkaTableView(String name, String topic, Supplier<Consumer<byte[], byte[]>> consumers, Class<K> keyType,
			Serde<K> keys, Serde<V> values) {
		this(name, topic, consumers, keyType, ViewRows.onHeap(name, keyType, keys, values));
	}

	/**
	 * Create a view with its rows serialized in a store (RocksDB, for tables larger than
	 * the heap), closed with the view.
	 * @param name the view's name
	 * @param topic the table topic
	 * @param consumers creates a consumer of bytes (no group needed)
	 * @param keyType the type of the keys
	 * @param keys the key serde
	 * @param values the value serde
	 * @param store where the rows are kept
	 */
	public KafkaTableView(String name, String topic, Supplier<Consumer<byte[], byte[]>> consumers, Class<K> keyType,
			Serde<K> keys, Serde<V> values, TableStore store) {
		this(name, topic, consumers, keyType, ViewRows.stored(name, keyType, keys, values, store));
	}

	private KafkaTableView(String name, String topic, Supplier<Consumer<byte[], byte[]>> consumers, Class<K> keyType,
			ViewRows<K, V> rows) {
		this.name = name;
		this.topic = topic;
		this.consumers = consumers;
		this.keyType = keyType;
		this.rows = rows;
	}

	@Override
	public String topic() {
		return this.topic;
	}

	/**
	 * Return the type of the view's keys.
	 * @return the key type
	 */
	public Class<K> keyType() {
		return this.keyType;
	}

	@Override
	public @Nullable V get(K key) {
		return this.rows.get(key);
	}

	@Override
	public long size() {
		return this.rows.size();
	}

	@Override
	public void forEach(BiConsumer<? super K, ? super V> action) {
		this.rows.forEach(action);
	}

	@Override
	public Map<K, V> range(K from, K to) {
		return this.rows.range(from, to);
	}

	@Override
	public boolean recovered() {
		return this.recovered.getCount() == 0;
	}

	@Override
	public boolean awaitRecovered(Duration timeout) throws InterruptedException {
		return this.recovered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public long lag() {
		return this.lags.values().stream().mapToLong(Long::longValue).sum();
	}

	@Override
	public void start() {
		this.running = true;
		Thread reader = new Thread(this::run, "kafka-worker-view-" + this.name);
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Consumer<byte[], byte[]> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
		Thread reader = this.thread;
		if (reader != null) {
			try {
				reader.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Release the view's rows (a RocksDB store's directory), once it stopped.
	 */
	@Override
	public void close() {
		stop();
		Thread reader = this.thread;
		if (reader != null && reader.isAlive()) {
			// A store closed under its reader would fail natively: leave it to the JVM.
			logger.warn("View '" + this.name + "' did not stop reading within 10 s; its rows are not released");
			return;
		}
		this.rows.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		try (Consumer<byte[], byte[]> reader = this.consumers.get()) {
			this.consumer = reader;
			List<TopicPartition> partitions = awaitPartitions(reader);
			reader.assign(partitions);
			reader.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
			while (this.running) {
				for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
					apply(record);
				}
				Map<TopicPartition, Long> current = new HashMap<>();
				for (TopicPartition partition : partitions) {
					current.put(partition, reader.currentLag(partition).orElse(0));
				}
				this.lags = current;
				if (!recovered() && GroupTable.reachedEnds(reader, ends)) {
					this.recovered.countDown();
					logger.info("View '" + this.name + "' of table '" + this.topic + "' recovered " + this.rows.size()
							+ " rows");
				}
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (RuntimeException ex) {
			logger.error("View '" + this.name + "' of table '" + this.topic + "' stopped reading", ex);
		}
		finally {
			this.consumer = null;
			this.running = false;
		}
	}

	// The table topic may not exist yet: a worker creates its table when it first gets
	// partitions.
	private List<TopicPartition> awaitPartitions(Consumer<byte[], byte[]> reader) {
		boolean logged = false;
		while (this.running) {
			List<TopicPartition> partitions = List.of();
			try {
				partitions = reader.partitionsFor(this.topic)
					.stream()
					.map((info) -> new TopicPartition(this.topic, info.partition()))
					.toList();
			}
			catch (KafkaException ex) {
				// not there yet, or the broker cannot be reached yet: try again
			}
			if (!partitions.isEmpty()) {
				return partitions;
			}
			if (!logged) {
				logger.info("View '" + this.name + "' waits for table topic '" + this.topic + "' to exist");
				logged = true;
			}
			try {
				Thread.sleep(TOPIC_WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return List.of();
	}

	private void apply(ConsumerRecord<byte[], byte[]> record) {
		if (record.key() != null) {
			this.rows.apply(record.key(), record.value());
		}
	}

}
