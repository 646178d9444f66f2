package io.kafkaworker.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.annotation.ReadFrom;
import io.kafkaworker.container.DrainMode;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of kafka-worker: defaults for every worker, and settings per worker id.
 *
 * <p>
 * A worker's setting is the first of: {@code kafka.worker.workers.<id>.*}, the
 * {@code @KafkaBatchWorker} attribute, {@code kafka.worker.defaults.*}, whose initial
 * values are the built-in defaults. Connection, security and serialization settings are
 * Spring Boot's own {@code spring.kafka.*}; there is no second connection configuration.
 */
@ConfigurationProperties("kafka.worker")
public class KafkaWorkerProperties {

	/**
	 * Whether to run @KafkaBatchWorker methods as workers.
	 */
	private boolean enabled = true;

	private final Defaults defaults = new Defaults();

	/**
	 * Settings of individual workers, by worker id. They override the annotation and the
	 * defaults.
	 */
	private Map<String, Worker> workers = new LinkedHashMap<>();

	/**
	 * Table views by name: local, always-updated replicas of table topics, each a
	 * {@code TableView} bean with that name.
	 */
	private Map<String, View> views = new LinkedHashMap<>();

	private final Health health = new Health();

	private final Shutdown shutdown = new Shutdown();

	private final Observation observation = new Observation();

	private final ExactlyOnce exactlyOnce = new ExactlyOnce();

	private final AccessLog accessLog = new AccessLog();

	/**
	 * Named Kafka clusters that workers and named producers select by name.
	 */
	private Map<String, Cluster> clusters = new LinkedHashMap<>();

	/**
	 * Named producers: a KafkaTemplate bean per name.
	 */
	private Map<String, NamedProducer> producers = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Defaults getDefaults() {
		return this.defaults;
	}

	public Map<String, View> getViews() {
		return this.views;
	}

	public void setViews(Map<String, View> views) {
		this.views = views;
	}

	public Map<String, Worker> getWorkers() {
		return this.workers;
	}

	public void setWorkers(Map<String, Worker> workers) {
		this.workers = workers;
	}

	public Health getHealth() {
		return this.health;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public AccessLog getAccessLog() {
		return this.accessLog;
	}

	public Map<String, Cluster> getClusters() {
		return this.clusters;
	}

	public void setClusters(Map<String, Cluster> clusters) {
		this.clusters = clusters;
	}

	public Map<String, NamedProducer> getProducers() {
		return this.producers;
	}

	public void setProducers(Map<String, NamedProducer> producers) {
		this.producers = producers;
	}

	public ExactlyOnce getExactlyOnce() {
		return this.exactlyOnce;
	}

	/**
	 * A named Kafka cluster: what its clients set over {@code spring.kafka.*}.
	 */
	public static class Cluster {

		/**
		 * The cluster's brokers, replacing spring.kafka.bootstrap-servers.
		 */
		private List<String> bootstrapServers = new ArrayList<>();

		/**
		 * Any client property of this cluster's clients (security.protocol, sasl.*,
		 * ssl.*), over spring.kafka.properties.*.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		public List<String> getBootstrapServers() {
			return this.bootstrapServers;
		}

		public void setBootstrapServers(List<String> bootstrapServers) {
			this.bootstrapServers = bootstrapServers;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

	/**
	 * A named producer: a KafkaTemplate bean of that name, configured over
	 * {@code spring.kafka.producer.*}.
	 */
	public static class NamedProducer {

		/**
		 * The named cluster (kafka.worker.clusters.*) it sends to. When unset, the
		 * cluster of spring.kafka.*.
		 */
		private @Nullable String cluster;

		/**
		 * The topic of sends that name none.
		 */
		private @Nullable String defaultTopic;

		/**
		 * Acknowledgments the producer requires (0, 1 or all). When unset,
		 * spring.kafka.producer.acks.
		 */
		private @Nullable String acks;

		/**
		 * Compression of its batches: none, gzip, snappy, lz4 or zstd. When unset,
		 * spring.kafka.producer.compression-type.
		 */
		private @Nullable String compressionType;

		/**
		 * Whether the producer is idempotent. When unset, Kafka's default (true).
		 */
		private @Nullable Boolean idempotence;

		/**
		 * Makes the template transactional, with transactional ids that start with it.
		 * When unset, the template is not transactional, whatever
		 * spring.kafka.producer.transaction-id-prefix says.
		 */
		private @Nullable String transactionIdPrefix;

		/**
		 * Any other producer property, over the ones above.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		public @Nullable String getCluster() {
			return this.cluster;
		}

		public void setCluster(@Nullable String cluster) {
			this.cluster = cluster;
		}

		public @Nullable String getDefaultTopic() {
			return this.defaultTopic;
		}

		public void setDefaultTopic(@Nullable String defaultTopic) {
			this.defaultTopic = defaultTopic;
		}

		public @Nullable String getAcks() {
			return this.acks;
		}

		public void setAcks(@Nullable String acks) {
			this.acks = acks;
		}

		public @Nullable String getCompressionType() {
			return this.compressionType;
		}

		public void setCompressionType(@Nullable String compressionType) {
			this.compressionType = compressionType;
		}

		public @Nullable Boolean getIdempotence() {
			return this.idempotence;
		}

		public void setIdempotence(@Nullable Boolean idempotence) {
			this.idempotence = idempotence;
		}

		public @Nullable String getTransactionIdPrefix() {
			return this.transactionIdPrefix;
		}

		public void setTransactionIdPrefix(@Nullable String transactionIdPrefix) {
			this.transactionIdPrefix = transactionIdPrefix;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

	}

	/**
	 * The built-in access log: one line per handler attempt.
	 */
	public static class AccessLog {

		/**
		 * Whether to log each handler attempt (worker, records, key, attempt, outcome,
		 * time) at INFO on the logger io.kafkaworker.access.
		 */
		private boolean enabled;

		/**
		 * The workers to log. When empty, all of them.
		 */
		private List<String> workers = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getWorkers() {
			return this.workers;
		}

		public void setWorkers(List<String> workers) {
			this.workers = workers;
		}

	}

	/**
	 * Settings that apply to every worker that does not set them itself. Their initial
	 * values are the built-in defaults.
	 */
	public static class Defaults extends WorkerSettingsProperties {

	}

	/**
	 * Settings of one worker. Unset values come from the annotation, then the defaults.
	 */
	public static class Worker extends WorkerSettingsProperties {

		/**
		 * Topics to consume, replacing the annotation's.
		 */
		private List<String> topics = new ArrayList<>();

		/**
		 * Consumer group. When unset, the annotation's group, else the worker id.
		 */
		private @Nullable String groupId;

		private final Table table = new Table();

		private final Reader reader = new Reader();

		private final Share share = new Share();

		/**
		 * The named cluster (kafka.worker.clusters.*) the worker consumes from. When
		 * unset, the cluster of spring.kafka.*.
		 */
		private @Nullable String cluster;

		public Worker() {
			unset();
		}

		public Table getTable() {
			return this.table;
		}

		public Reader getReader() {
			return this.reader;
		}

		public Share getShare() {
			return this.share;
		}

		public @Nullable String getCluster() {
			return this.cluster;
		}

		public void setCluster(@Nullable String cluster) {
			this.cluster = cluster;
		}

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			this.topics = topics;
		}

		public @Nullable String getGroupId() {
			return this.groupId;
		}

		public void setGroupId(@Nullable String groupId) {
			this.groupId = groupId;
		}

	}

	/**
	 * A view of a table topic.
	 */
	public static class View {

		/**
		 * The table topic, for example a worker's {@code <group>-table}.
		 */
		private @Nullable String topic;

		/**
		 * The type of the table's keys: a type Kafka has a serde for, else read as JSON.
		 */
		private Class<?> keyType = String.class;

		/**
		 * The type of the table's values: a type Kafka has a serde for, else read as
		 * JSON.
		 */
		private Class<?> valueType = String.class;

		/**
		 * Where the view keeps its rows: MEMORY (the heap, as objects) or ROCKSDB (on
		 * disk, serialized, for tables larger than the heap; needs
		 * org.rocksdb:rocksdbjni). A ROCKSDB view reads its whole table when it starts,
		 * into a directory of its own that is deleted when it stops.
		 */
		private Table.TableStoreType store = Table.TableStoreType.MEMORY;

		/**
		 * Where a ROCKSDB view creates its directory. When unset, kafka-worker under the
		 * JVM's temporary directory.
		 */
		private @Nullable Path directory;

		public Table.TableStoreType getStore() {
			return this.store;
		}

		public void setStore(Table.TableStoreType store) {
			this.store = store;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public Class<?> getKeyType() {
			return this.keyType;
		}

		public void setKeyType(Class<?> keyType) {
			this.keyType = keyType;
		}

		public Class<?> getValueType() {
			return this.valueType;
		}

		public void setValueType(Class<?> valueType) {
			this.valueType = valueType;
		}

	}

	/**
	 * A worker that reads its topics without a consumer group (kefka's Reader): an
	 * explicit assignment, a start position, no commits, and optionally an end.
	 */
	public static class Reader {

		/**
		 * Whether the worker reads its topics without a consumer group and never commits,
		 * instead of consuming them in its group. When unset, whether its annotation has
		 * a reader.
		 */
		private @Nullable Boolean enabled;

		/**
		 * The partitions to read of each topic. When empty, the annotation's, else all of
		 * them.
		 */
		private List<Integer> partitions = new ArrayList<>();

		/**
		 * Where reading starts: EARLIEST, LATEST, TIMESTAMP (start-timestamp) or OFFSETS
		 * (start-offsets). When unset, the annotation's, else EARLIEST.
		 */
		private @Nullable ReadFrom start;

		/**
		 * The time to start from with start TIMESTAMP: each partition's first record at
		 * or after it. When unset, the annotation's.
		 */
		private @Nullable Instant startTimestamp;

		/**
		 * The offset to start from per partition with start OFFSETS, keyed by
		 * topic-partition (for example orders-0). Partitions without one start at the
		 * beginning.
		 */
		private Map<String, Long> startOffsets = new LinkedHashMap<>();

		/**
		 * Where the reader stops: NEVER (it follows its partitions) or END (once it
		 * handled every record below the end offsets it saw when it started). When unset,
		 * the annotation's stopAtEnd, else NEVER.
		 */
		private @Nullable StopAt stopAt;

		/**
		 * Whether the application exits with status 0 once every reader with this set
		 * reached its end (a backfill job). Needs stop-at END. When unset, the
		 * annotation's, else false.
		 */
		private @Nullable Boolean exitWhenDone;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public List<Integer> getPartitions() {
			return this.partitions;
		}

		public void setPartitions(List<Integer> partitions) {
			this.partitions = partitions;
		}

		public @Nullable ReadFrom getStart() {
			return this.start;
		}

		public void setStart(@Nullable ReadFrom start) {
			this.start = start;
		}

		public @Nullable Instant getStartTimestamp() {
			return this.startTimestamp;
		}

		public void setStartTimestamp(@Nullable Instant startTimestamp) {
			this.startTimestamp = startTimestamp;
		}

		public Map<String, Long> getStartOffsets() {
			return this.startOffsets;
		}

		public void setStartOffsets(Map<String, Long> startOffsets) {
			this.startOffsets = startOffsets;
		}

		public @Nullable StopAt getStopAt() {
			return this.stopAt;
		}

		public void setStopAt(@Nullable StopAt stopAt) {
			this.stopAt = stopAt;
		}

		public @Nullable Boolean getExitWhenDone() {
			return this.exitWhenDone;
		}

		public void setExitWhenDone(@Nullable Boolean exitWhenDone) {
			this.exitWhenDone = exitWhenDone;
		}

		/**
		 * Where a reader stops.
		 */
		public enum StopAt {

			/**
			 * Never by itself: it follows its partitions.
			 */
			NEVER,

			/**
			 * At the end offsets it saw when it started.
			 */
			END

		}

	}

	/**
	 * Configs of a share-group worker's share group, which the worker sets on the broker
	 * each time it starts (before its consumers join). Each one left unset leaves the
	 * group's config as it is.
	 */
	public static class Share {

		/**
		 * Where the share group starts on a partition it has not consumed yet: earliest,
		 * latest, or by_duration: and an ISO-8601 duration (the records at most that old,
		 * for example by_duration:PT1H). The group config share.auto.offset.reset; when
		 * unset, the group's config is left alone (Kafka's default: latest). It does not
		 * move a group that already consumed the partition.
		 */
		private @Nullable String autoOffsetReset;

		/**
		 * How long the broker locks a record it hands to a member before it may deliver
		 * it again: the group config share.record.lock.duration.ms, within the broker's
		 * group.share.min.record.lock.duration.ms and
		 * group.share.max.record.lock.duration.ms (15s and 60s by default). The worker
		 * renews the locks of records it still runs, so this is mostly how soon the
		 * records of a member that died go to another. When unset, the group's config is
		 * left alone (Kafka's default: group.share.record.lock.duration.ms, 30s).
		 */
		private @Nullable Duration recordLockDuration;

		/**
		 * Whether records whose attempts were exhausted (dead-lettered or skipped by the
		 * failure policy) are acknowledged REJECT, which the broker archives as rejected,
		 * rather than ACCEPT. Either way they are not delivered again.
		 */
		private boolean rejectExhausted;

		public @Nullable String getAutoOffsetReset() {
			return this.autoOffsetReset;
		}

		public void setAutoOffsetReset(@Nullable String autoOffsetReset) {
			this.autoOffsetReset = autoOffsetReset;
		}

		public @Nullable Duration getRecordLockDuration() {
			return this.recordLockDuration;
		}

		public void setRecordLockDuration(@Nullable Duration recordLockDuration) {
			this.recordLockDuration = recordLockDuration;
		}

		public boolean isRejectExhausted() {
			return this.rejectExhausted;
		}

		public void setRejectExhausted(boolean rejectExhausted) {
			this.rejectExhausted = rejectExhausted;
		}

	}

	/**
	 * The group table of a worker whose handler takes a {@code TableRow}.
	 */
	public static class Table {

		/**
		 * The compacted topic that holds the table. When unset, the worker's group id
		 * followed by {@code -table}.
		 */
		private @Nullable String topic;

		/**
		 * Where the worker keeps its rows: MEMORY (the heap) or ROCKSDB (on disk, for
		 * state larger than the heap; needs org.rocksdb:rocksdbjni).
		 */
		private TableStoreType store = TableStoreType.MEMORY;

		/**
		 * Where ROCKSDB stores live: each table in a directory named after its topic,
		 * kept across restarts with checkpoints, so that a restart reads only the table's
		 * tail. When unset, kafka-worker under the JVM's temporary directory; set it to a
		 * persistent volume in production (like Kafka Streams' state.dir).
		 */
		private @Nullable Path directory;

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public TableStoreType getStore() {
			return this.store;
		}

		public void setStore(TableStoreType store) {
			this.store = store;
		}

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		/**
		 * The stores of group tables.
		 */
		public enum TableStoreType {

			/**
			 * On the heap.
			 */
			MEMORY,

			/**
			 * On disk, in RocksDB.
			 */
			ROCKSDB

		}

	}

	/**
	 * The settings of a worker, declared once for {@code kafka.worker.defaults.*} and
	 * {@code kafka.worker.workers.<id>.*}. The initializers are the built-in defaults,
	 * which {@link Defaults} keeps; a {@link Worker} starts with every setting unset (see
	 * {@link #unset()}), so that a setting it does not configure falls back to the
	 * annotation, then to the defaults.
	 */
	public abstract static class WorkerSettingsProperties {

		/**
		 * Ordering contract: SERIAL, PARTITION, KEY or PARALLEL.
		 */
		private @Nullable Mode mode = Mode.PARTITION;

		/**
		 * Delivery guarantee: AT_LEAST_ONCE, AT_MOST_ONCE or EXACTLY_ONCE.
		 */
		private @Nullable Delivery delivery = Delivery.AT_LEAST_ONCE;

		private final WorkerExactlyOnce exactlyOnce = new WorkerExactlyOnce();

		/**
		 * Kafka consumer properties of the worker's consumers, on top of
		 * spring.kafka.consumer.* (a worker's own entries win over the defaults'), for
		 * example max.poll.records, which bounds an exactly-once transaction. Not
		 * allowed: bootstrap.servers, group.id, client.id, enable.auto.commit and the
		 * deserializers; with EXACTLY_ONCE, isolation.level stays read_committed.
		 */
		private final Map<String, String> consumerProperties = new LinkedHashMap<>();

		/**
		 * Most handler calls that run at once per worker, across its partitions and
		 * consumers. With single-record handlers, the most records in flight.
		 */
		private @Nullable Integer concurrency = 16;

		/**
		 * Consumer threads per worker (the listener container's concurrency).
		 */
		private @Nullable Integer consumers = 1;

		/**
		 * Most records per call of a lane-batch handler (a method taking a List).
		 */
		private @Nullable Integer batchSize = 100;

		/**
		 * Whether the worker starts with the application context.
		 */
		private @Nullable Boolean autoStartup = true;

		/**
		 * Whether the worker consumes through a Kafka share group (KIP-932, "queues")
		 * named by its group id instead of a consumer group: every instance gets records
		 * of every partition, so instances scale past the partition count. Only for
		 * PARALLEL, AT_LEAST_ONCE workers with on-failure DEAD_LETTER, SKIP or STOP.
		 */
		private @Nullable Boolean shareGroup = false;

		/**
		 * Most records a worker holds in memory, buffered or in flight, before it pauses
		 * the partitions that feed the backlog. When unset, 100 times the records that
		 * can be in flight (concurrency times the records per call) and at least 10000;
		 * with AT_MOST_ONCE, 2 times and at least 500.
		 */
		private @Nullable Integer maxBufferedRecords;

		/**
		 * Most memory the records a worker holds may take, estimated from their
		 * serialized size plus a fixed overhead per record, before it pauses the
		 * partitions that feed the backlog. When unset, a tenth of the JVM's maximum
		 * heap.
		 */
		private @Nullable DataSize maxBufferedBytes;

		/**
		 * Time between commits of completed offsets. Commits also happen on partition
		 * revocation and when the worker stops.
		 */
		private @Nullable Duration commitInterval = Duration.ofSeconds(1);

		/**
		 * Longest time one offset commit may block a consumer thread.
		 */
		private @Nullable Duration commitTimeout = Duration.ofSeconds(10);

		/**
		 * Most characters of the commit metadata that lists the records complete above
		 * each committed offset, which a restarted worker or a partition's next owner
		 * skips instead of handling again. Records that do not fit are committed without
		 * it (handled again after a crash), with a warning. Brokers refuse metadata
		 * longer than their offset.metadata.max.bytes (4096 by default). 0 turns it off.
		 */
		private @Nullable DataSize commitMetadataLimit = DataSize.ofBytes(4096);

		/**
		 * Longest time a partition revocation waits for the partition's in-flight records
		 * before committing and letting the partition go. Records still running then are
		 * redelivered to the partition's next owner.
		 */
		private @Nullable Duration revokeTimeout = Duration.ofSeconds(10);

		/**
		 * What to do with a record whose handler still fails after its retries: FREEZE,
		 * DEAD_LETTER, SKIP or STOP.
		 */
		private @Nullable FailurePolicy onFailure = FailurePolicy.FREEZE;

		private final Retry retry = new Retry();

		private final Freeze freeze = new Freeze();

		private final DeadLetter deadLetter = new DeadLetter();

		/**
		 * Clear every setting, so that each falls back to the annotation, then to the
		 * defaults. Collections stay empty: a worker's entries add to the defaults'.
		 */
		void unset() {
			this.mode = null;
			this.delivery = null;
			this.concurrency = null;
			this.consumers = null;
			this.batchSize = null;
			this.autoStartup = null;
			this.shareGroup = null;
			this.maxBufferedRecords = null;
			this.maxBufferedBytes = null;
			this.commitInterval = null;
			this.commitTimeout = null;
			this.commitMetadataLimit = null;
			this.revokeTimeout = null;
			this.onFailure = null;
			this.exactlyOnce.setStore(null);
			this.retry.unset();
			this.freeze.unset();
			this.deadLetter.unset();
		}

		public @Nullable Mode getMode() {
			return this.mode;
		}

		public void setMode(@Nullable Mode mode) {
			this.mode = mode;
		}

		public @Nullable Delivery getDelivery() {
			return this.delivery;
		}

		public void setDelivery(@Nullable Delivery delivery) {
			this.delivery = delivery;
		}

		public WorkerExactlyOnce getExactlyOnce() {
			return this.exactlyOnce;
		}

		public Map<String, String> getConsumerProperties() {
			return this.consumerProperties;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getConsumers() {
			return this.consumers;
		}

		public void setConsumers(@Nullable Integer consumers) {
			this.consumers = consumers;
		}

		public @Nullable Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(@Nullable Integer batchSize) {
			this.batchSize = batchSize;
		}

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public @Nullable Boolean getShareGroup() {
			return this.shareGroup;
		}

		public void setShareGroup(@Nullable Boolean shareGroup) {
			this.shareGroup = shareGroup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Integer getMaxBufferedRecords() {
			return this.maxBufferedRecords;
		}

		public void setMaxBufferedRecords(@Nullable Integer maxBufferedRecords) {
			this.maxBufferedRecords = maxBufferedRecords;
		}

		public @Nullable DataSize getMaxBufferedBytes() {
			return this.maxBufferedBytes;
		}

		public void setMaxBufferedBytes(@Nullable DataSize maxBufferedBytes) {
			this.maxBufferedBytes = maxBufferedBytes;
		}

		public @Nullable DataSize getCommitMetadataLimit() {
			return this.commitMetadataLimit;
		}

		public void setCommitMetadataLimit(@Nullable DataSize commitMetadataLimit) {
			this.commitMetadataLimit = commitMetadataLimit;
		}

		public @Nullable Duration getCommitInterval() {
			return this.commitInterval;
		}

		public void setCommitInterval(@Nullable Duration commitInterval) {
			this.commitInterval = commitInterval;
		}

		public @Nullable Duration getCommitTimeout() {
			return this.commitTimeout;
		}

		public void setCommitTimeout(@Nullable Duration commitTimeout) {
			this.commitTimeout = commitTimeout;
		}

		public @Nullable Duration getRevokeTimeout() {
			return this.revokeTimeout;
		}

		public void setRevokeTimeout(@Nullable Duration revokeTimeout) {
			this.revokeTimeout = revokeTimeout;
		}

		public @Nullable FailurePolicy getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(@Nullable FailurePolicy onFailure) {
			this.onFailure = onFailure;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Freeze getFreeze() {
			return this.freeze;
		}

		public DeadLetter getDeadLetter() {
			return this.deadLetter;
		}

	}

	/**
	 * In-place retries of a failed call.
	 */
	public static class Retry {

		/**
		 * Total attempts per record, the first included; 1 disables retries.
		 */
		private @Nullable Integer maxAttempts = 3;

		private final Backoff backoff = new Backoff();

		/**
		 * Failure types that are never retried, in addition to the defaults:
		 * deserialization, message conversion, class cast and validation failures.
		 */
		private List<Class<? extends Throwable>> nonRetryableExceptions = new ArrayList<>();

		void unset() {
			this.maxAttempts = null;
			this.backoff.unset();
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public List<Class<? extends Throwable>> getNonRetryableExceptions() {
			return this.nonRetryableExceptions;
		}

		public void setNonRetryableExceptions(List<Class<? extends Throwable>> nonRetryableExceptions) {
			this.nonRetryableExceptions = nonRetryableExceptions;
		}

	}

	/**
	 * The waits between attempts: initial, initial × multiplier, … capped at max, each
	 * moved at random by up to jitter; or those of a BackOff bean.
	 */
	public static class Backoff {

		/**
		 * Wait before the second attempt.
		 */
		private @Nullable Duration initial = Duration.ofSeconds(1);

		/**
		 * Factor by which each wait grows.
		 */
		private @Nullable Double multiplier = 2.0;

		/**
		 * Longest wait between attempts.
		 */
		private @Nullable Duration max = Duration.ofSeconds(30);

		/**
		 * Largest fraction of each wait (0.5: up to half) randomly added to or taken from
		 * it, never going below initial nor above max, so that workers that failed
		 * together do not retry in lockstep; 0 disables it.
		 */
		private @Nullable Double jitter = 0.5;

		/**
		 * Name of a BackOff bean (org.springframework.util.backoff.BackOff) that gives
		 * the waits instead of initial, multiplier, max and jitter; its STOP ends the
		 * retries before max-attempts. Empty on a worker to use those when the defaults
		 * name a bean.
		 */
		private @Nullable String bean;

		void unset() {
			this.initial = null;
			this.multiplier = null;
			this.max = null;
			this.jitter = null;
			this.bean = null;
		}

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = initial;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

		public @Nullable String getBean() {
			return this.bean;
		}

		public void setBean(@Nullable String bean) {
			this.bean = bean;
		}

	}

	/**
	 * How a freeze behaves (on-failure FREEZE).
	 */
	public static class Freeze {

		/**
		 * What a freeze stops: PARTITION, or KEY (only the failed key, KEY mode only).
		 */
		private @Nullable FreezeScope scope = FreezeScope.PARTITION;

		/**
		 * Re-attempt a frozen record automatically after this delay. Unset: the record
		 * waits for an operator to resume or skip it.
		 */
		private @Nullable Duration retryAfter;

		/**
		 * With KEY scope, most records of a partition that may wait behind its frozen
		 * keys before the whole partition is paused.
		 */
		private @Nullable Integer maxHeldRecords = 10000;

		void unset() {
			this.scope = null;
			this.retryAfter = null;
			this.maxHeldRecords = null;
		}

		public @Nullable FreezeScope getScope() {
			return this.scope;
		}

		public void setScope(@Nullable FreezeScope scope) {
			this.scope = scope;
		}

		public @Nullable Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(@Nullable Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

		public @Nullable Integer getMaxHeldRecords() {
			return this.maxHeldRecords;
		}

		public void setMaxHeldRecords(@Nullable Integer maxHeldRecords) {
			this.maxHeldRecords = maxHeldRecords;
		}

	}

	/**
	 * Where dead letters go (on-failure DEAD_LETTER, or skip to the dead-letter topic).
	 */
	public static class DeadLetter {

		/**
		 * Topic for dead letters. When unset, the record's topic followed by
		 * topic-suffix.
		 */
		private @Nullable String topic;

		/**
		 * Suffix appended to the record's topic to name its dead-letter topic when topic
		 * is unset, as Spring Kafka's DeadLetterPublishingRecoverer does.
		 */
		private @Nullable String topicSuffix = "-dlt";

		/**
		 * Whether to create a missing dead-letter topic, with the broker's default
		 * partitions and replication, before its first dead letter.
		 */
		private @Nullable Boolean createTopic = true;

		/**
		 * Longest time to wait for the broker to acknowledge a dead letter.
		 */
		private @Nullable Duration sendTimeout = Duration.ofSeconds(30);

		void unset() {
			this.topic = null;
			this.topicSuffix = null;
			this.createTopic = null;
			this.sendTimeout = null;
		}

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public @Nullable String getTopicSuffix() {
			return this.topicSuffix;
		}

		public void setTopicSuffix(@Nullable String topicSuffix) {
			this.topicSuffix = topicSuffix;
		}

		public @Nullable Boolean getCreateTopic() {
			return this.createTopic;
		}

		public void setCreateTopic(@Nullable Boolean createTopic) {
			this.createTopic = createTopic;
		}

		public @Nullable Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(@Nullable Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

	}

	/**
	 * The kafkaWorkers health contributor and the probes it takes part in.
	 */
	public static class Health {

		/**
		 * Whether to add the kafkaWorkers contributor to the readiness group, so that
		 * /actuator/health/readiness waits for the workers.
		 */
		private boolean readiness = true;

		/**
		 * Whether readiness waits until every auto-started worker has joined its consumer
		 * group and received its first assignment.
		 */
		private boolean waitForAssignment = true;

		/**
		 * Status reported while a partition or key is frozen on a failed record: UP (with
		 * the frozen records in the details) or OUT_OF_SERVICE.
		 */
		private FrozenStatus frozenStatus = FrozenStatus.UP;

		/**
		 * Longest time a consumer thread may go without polling before the worker is
		 * reported as stalled.
		 */
		private Duration maxTimeBetweenPolls = Duration.ofMinutes(2);

		/**
		 * Longest time one handler call may run before the worker is reported as stalled.
		 */
		private Duration maxProcessingTime = Duration.ofMinutes(5);

		private final Liveness liveness = new Liveness();

		public boolean isReadiness() {
			return this.readiness;
		}

		public void setReadiness(boolean readiness) {
			this.readiness = readiness;
		}

		public boolean isWaitForAssignment() {
			return this.waitForAssignment;
		}

		public void setWaitForAssignment(boolean waitForAssignment) {
			this.waitForAssignment = waitForAssignment;
		}

		public FrozenStatus getFrozenStatus() {
			return this.frozenStatus;
		}

		public void setFrozenStatus(FrozenStatus frozenStatus) {
			this.frozenStatus = frozenStatus;
		}

		public Duration getMaxTimeBetweenPolls() {
			return this.maxTimeBetweenPolls;
		}

		public void setMaxTimeBetweenPolls(Duration maxTimeBetweenPolls) {
			this.maxTimeBetweenPolls = maxTimeBetweenPolls;
		}

		public Duration getMaxProcessingTime() {
			return this.maxProcessingTime;
		}

		public void setMaxProcessingTime(Duration maxProcessingTime) {
			this.maxProcessingTime = maxProcessingTime;
		}

		public Liveness getLiveness() {
			return this.liveness;
		}

		/**
		 * The status a frozen partition gives the kafkaWorkers contributor.
		 */
		public enum FrozenStatus {

			/**
			 * Stay UP; the frozen records show in the details.
			 */
			UP,

			/**
			 * Report OUT_OF_SERVICE.
			 */
			OUT_OF_SERVICE

		}

		/**
		 * The opt-in liveness contributor.
		 */
		public static class Liveness {

			/**
			 * Whether to add a kafkaWorkersLiveness contributor to the liveness group,
			 * DOWN while a worker is stalled, so that Kubernetes restarts the pod.
			 */
			private boolean enabled;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

	}

	/**
	 * What workers do when the application context closes.
	 */
	public static class Shutdown {

		/**
		 * Which records to finish before the final commit: IN_FLIGHT, the records inside
		 * handler calls (and those below the highest finished offset, so that nothing is
		 * handled twice after restart), or ALL, every record already fetched.
		 */
		private DrainMode drain = DrainMode.IN_FLIGHT;

		/**
		 * Longest time the whole shutdown (stop fetching, drain, commit, leave the group)
		 * may take. Keep it below spring.lifecycle.timeout-per-shutdown-phase.
		 */
		private Duration timeout = Duration.ofSeconds(20);

		public DrainMode getDrain() {
			return this.drain;
		}

		public void setDrain(DrainMode drain) {
			this.drain = drain;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Micrometer Observation (traces) of handler calls.
	 */
	public static class Observation {

		/**
		 * Whether to observe every record (and every lane-batch call) when an
		 * ObservationRegistry is available: a span per record with tracing, and the
		 * meters Micrometer derives from observations. Off by default, like Spring
		 * Kafka's listener observation, because it costs several times the engine's own
		 * work per record when handlers do little.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Exactly-once delivery of one worker, or of every worker that does not set it.
	 */
	public static class WorkerExactlyOnce {

		/**
		 * Where delivery EXACTLY_ONCE keeps its proof: KAFKA (Kafka transactions around
		 * what the handler sends with the TransactionalSender and the input offsets) or
		 * JDBC (a database inbox table written in the handler's own transaction).
		 */
		private @Nullable ExactlyOnceStore store = ExactlyOnceStore.KAFKA;

		public @Nullable ExactlyOnceStore getStore() {
			return this.store;
		}

		public void setStore(@Nullable ExactlyOnceStore store) {
			this.store = store;
		}

	}

	/**
	 * Application-wide settings of exactly-once delivery.
	 */
	public static class ExactlyOnce {

		/**
		 * Prefix of the transactional ids of the workers' producers, followed by the
		 * worker id and the consumer's slot. Must be unique per application instance;
		 * make it stable across restarts of the instance (for example the pod name of a
		 * StatefulSet) so that a restarted instance aborts what its predecessor left open
		 * at once, instead of consumers waiting for the transaction timeout. Defaults to
		 * spring.kafka.producer.transaction-id-prefix if set, else to the application
		 * name, the host name and the process id.
		 */
		private @Nullable String transactionalIdPrefix;

		private final Jdbc jdbc = new Jdbc();

		public @Nullable String getTransactionalIdPrefix() {
			return this.transactionalIdPrefix;
		}

		public void setTransactionalIdPrefix(@Nullable String transactionalIdPrefix) {
			this.transactionalIdPrefix = transactionalIdPrefix;
		}

		public Jdbc getJdbc() {
			return this.jdbc;
		}

	}

	/**
	 * The database inbox of exactly-once workers with store JDBC.
	 */
	public static class Jdbc {

		/**
		 * Name of the inbox table, optionally qualified with its schema.
		 */
		private String tableName = "kafka_worker_inbox";

		/**
		 * When the starter creates the inbox table (if it does not exist) from
		 * io/kafkaworker/inbox/schema.sql, on the creation of the first worker with store
		 * JDBC: EMBEDDED only for an embedded database (as
		 * spring.batch.jdbc.initialize-schema), ALWAYS, or NEVER when Flyway or Liquibase
		 * creates it.
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		/**
		 * Name of the PlatformTransactionManager bean whose transactions hold the inbox
		 * rows and the handler's own writes. Defaults to the application's unique (or
		 * primary) transaction manager, which must manage the inbox's DataSource, such as
		 * a DataSourceTransactionManager or JpaTransactionManager.
		 */
		private @Nullable String transactionManager;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public @Nullable String getTransactionManager() {
			return this.transactionManager;
		}

		public void setTransactionManager(@Nullable String transactionManager) {
			this.transactionManager = transactionManager;
		}

	}

}
