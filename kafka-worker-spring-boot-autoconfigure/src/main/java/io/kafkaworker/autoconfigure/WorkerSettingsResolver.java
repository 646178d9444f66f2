package io.kafkaworker.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.annotation.ReadFrom;
import io.kafkaworker.annotation.Reader;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.container.ReaderSettings;
import io.kafkaworker.container.ShareGroupSettings;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.PropertyResolver;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.unit.DataSize;

/**
 * Merges a worker's annotation with {@code kafka.worker.*} into validated settings. The
 * first value found wins: {@code kafka.worker.workers.<id>.*}, the annotation,
 * {@code kafka.worker.defaults.*}. An invalid value fails startup with a message naming
 * where it came from.
 */
final class WorkerSettingsResolver {

	private static final int MIN_BUFFERED_RECORDS = 10_000;

	private static final int BUFFERED_CALLS_PER_SLOT = 100;

	private static final int MIN_AT_MOST_ONCE_BUFFERED_RECORDS = 500;

	private static final int HEAP_FRACTION_FOR_BUFFERS = 10;

	private static final Pattern TOPIC_SUFFIX = Pattern.compile("[a-zA-Z0-9._-]+");

	private static final String BY_DURATION = "by_duration:";

	private final KafkaWorkerProperties properties;

	private final PropertyResolver placeholders;

	private final BackOffBeans backOffBeans;

	WorkerSettingsResolver(KafkaWorkerProperties properties, PropertyResolver placeholders, BeanFactory beanFactory) {
		this.properties = properties;
		this.placeholders = placeholders;
		this.backOffBeans = new BackOffBeans(beanFactory);
	}

	WorkerSettings resolve(WorkerMethod method) {
		KafkaBatchWorker annotation = method.annotation();
		String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id(), "id", method) : method.defaultId();
		KafkaWorkerProperties.Worker configured = this.properties.getWorkers().get(id);
		Sources sources = new Sources(id, method,
				(configured != null) ? configured : new KafkaWorkerProperties.Worker());
		KafkaWorkerProperties.Worker worker = sources.worker;
		KafkaWorkerProperties.Defaults defaults = this.properties.getDefaults();

		List<String> topics = topics(method, sources);
		String groupId = (worker.getGroupId() != null) ? worker.getGroupId()
				: StringUtils.hasText(annotation.groupId()) ? resolve(annotation.groupId(), "groupId", method) : id;
		Mode mode = sources
			.choose("mode", "mode", worker.getMode(), (annotation.mode() != Mode.DEFAULT) ? annotation.mode() : null,
					defaults.getMode())
			.require((value) -> value != Mode.DEFAULT, "one of SERIAL, PARTITION, KEY or PARALLEL");
		Delivery delivery = delivery(sources.choose("delivery", "delivery", worker.getDelivery(),
				(annotation.delivery() != Delivery.DEFAULT) ? annotation.delivery() : null, defaults.getDelivery()));
		int concurrency = positive(sources.choose("concurrency", "concurrency", worker.getConcurrency(),
				unsetToNull(annotation.concurrency()), defaults.getConcurrency()));
		int consumers = positive(sources.choose("consumers", "consumers", worker.getConsumers(),
				unsetToNull(annotation.consumers()), defaults.getConsumers()));
		int batchSize = positive(sources.choose("batch-size", "batchSize", worker.getBatchSize(),
				unsetToNull(annotation.batchSize()), defaults.getBatchSize()));
		boolean autoStartup = sources
			.choose("auto-startup", "autoStartup", worker.getAutoStartup(),
					bool(annotation.autoStartup(), "autoStartup", method), defaults.getAutoStartup())
			.value();
		Setting<Boolean> shareGroup = sources.choose("share-group", "shareGroup", worker.getShareGroup(),
				bool(annotation.shareGroup(), "shareGroup", method), defaults.getShareGroup());
		int callSize = method.signature().isBatch() ? batchSize : 1;
		// At-most-once commits records before handling them, so whatever is buffered when
		// the worker dies is lost: keep that window near what the lanes can take at once.
		int defaultBuffer = (int) Math.min(Integer.MAX_VALUE,
				(delivery == Delivery.AT_MOST_ONCE)
						? Math.max(MIN_AT_MOST_ONCE_BUFFERED_RECORDS, 2L * concurrency * callSize)
						: Math.max(MIN_BUFFERED_RECORDS, (long) BUFFERED_CALLS_PER_SLOT * concurrency * callSize));
		int maxBufferedRecords = positive(sources.choose("max-buffered-records", worker.getMaxBufferedRecords(),
				(defaults.getMaxBufferedRecords() != null) ? defaults.getMaxBufferedRecords() : defaultBuffer));
		long maxBufferedBytes = sources
			.choose("max-buffered-bytes", worker.getMaxBufferedBytes(),
					(defaults.getMaxBufferedBytes() != null) ? defaults.getMaxBufferedBytes()
							: DataSize.ofBytes(Runtime.getRuntime().maxMemory() / HEAP_FRACTION_FOR_BUFFERS))
			.require((value) -> value.toBytes() > 0, "a positive size")
			.toBytes();
		Duration commitInterval = sources
			.choose("commit-interval", worker.getCommitInterval(), defaults.getCommitInterval())
			.require((value) -> !value.isNegative() && !value.isZero(), "a positive duration");
		Duration commitTimeout = sources
			.choose("commit-timeout", worker.getCommitTimeout(), defaults.getCommitTimeout())
			.require((value) -> !value.isNegative() && !value.isZero(), "a positive duration");
		int commitMetadataLimit = (int) sources
			.choose("commit-metadata-limit", worker.getCommitMetadataLimit(), defaults.getCommitMetadataLimit())
			.require((value) -> !value.isNegative() && value.toBytes() <= Integer.MAX_VALUE,
					"a size of zero (no metadata) or more")
			.toBytes();
		Duration revokeTimeout = sources
			.choose("revoke-timeout", worker.getRevokeTimeout(), defaults.getRevokeTimeout())
			.require((value) -> !value.isNegative(), "a duration of zero or more");
		ExactlyOnceStore store = sources
			.choose("exactly-once.store", worker.getExactlyOnce().getStore(), defaults.getExactlyOnce().getStore())
			.value();
		FailureSettings failure = failure(sources, defaults);
		if (delivery == Delivery.EXACTLY_ONCE && store == ExactlyOnceStore.KAFKA
				&& failure.freezeScope() == FreezeScope.KEY) {
			sources.choose("freeze.scope", worker.getFreeze().getScope(), defaults.getFreeze().getScope())
				.require((value) -> value != FreezeScope.KEY,
						"PARTITION, since delivery is EXACTLY_ONCE with Kafka transactions (a transaction commits each "
								+ "partition's offsets up to one point, so records after a frozen key could not commit)");
		}
		ReaderSettings reader = reader(id, method, worker.getReader(), topics, delivery);
		// A reader's partitions are assigned to one consumer, whose lanes give it its
		// concurrency.
		consumers = (reader != null) ? 1 : consumers;
		ShareGroupSettings share = null;
		if (shareGroup.value()) {
			checkShareGroup(shareGroup, mode, delivery, failure, reader, method);
			share = share(sources);
		}
		else {
			refuseShareConfigs(sources, shareGroup);
		}
		return new WorkerSettings(id, topics, groupId, mode, delivery, concurrency, consumers, batchSize, autoStartup,
				maxBufferedRecords, maxBufferedBytes, commitInterval, commitTimeout, commitMetadataLimit, revokeTimeout,
				failure, store, reader, share);
	}

	// The configs a share-group worker sets on its group, from its own properties only:
	// each configures one group on the broker, so there are no defaults for every worker.
	private static ShareGroupSettings share(Sources sources) {
		KafkaWorkerProperties.Share share = sources.worker.getShare();
		String autoOffsetReset = null;
		if (share.getAutoOffsetReset() != null) {
			autoOffsetReset = sources
				.own(ShareGroupSettings.AUTO_OFFSET_RESET_PROPERTY, offsetReset(share.getAutoOffsetReset()))
				.require(WorkerSettingsResolver::isOffsetReset,
						"earliest, latest, or by_duration: and an ISO-8601 duration of zero or more, for example "
								+ "by_duration:PT1H");
		}
		Duration recordLockDuration = null;
		if (share.getRecordLockDuration() != null) {
			recordLockDuration = sources
				.own(ShareGroupSettings.RECORD_LOCK_DURATION_PROPERTY, share.getRecordLockDuration())
				.require((value) -> value.toMillis() > 0 && value.toMillis() <= Integer.MAX_VALUE,
						"a positive duration of whole milliseconds (the broker allows "
								+ "group.share.min.record.lock.duration.ms to group.share.max.record.lock.duration.ms, "
								+ "15s to 60s by default)");
		}
		return new ShareGroupSettings(autoOffsetReset, recordLockDuration, share.isRejectExhausted());
	}

	// Kafka's words in lower case; the duration of by_duration as given.
	private static String offsetReset(String value) {
		String trimmed = value.trim();
		String lower = trimmed.toLowerCase(Locale.ROOT);
		return lower.startsWith(BY_DURATION) ? BY_DURATION + trimmed.substring(BY_DURATION.length()) : lower;
	}

	// The values the broker's share.auto.offset.reset takes, checked here so that a typo
	// fails startup without a broker.
	private static boolean isOffsetReset(String value) {
		if (value.equals("earliest") || value.equals("latest")) {
			return true;
		}
		if (!value.startsWith(BY_DURATION)) {
			return false;
		}
		try {
			return !Duration.parse(value.substring(BY_DURATION.length())).isNegative();
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	// A worker of a consumer group (or a reader) has no share group to configure: its
	// share.* properties would silently do nothing.
	private static void refuseShareConfigs(Sources sources, Setting<Boolean> shareGroup) {
		KafkaWorkerProperties.Share share = sources.worker.getShare();
		String property = (share.getAutoOffsetReset() != null) ? ShareGroupSettings.AUTO_OFFSET_RESET_PROPERTY
				: (share.getRecordLockDuration() != null) ? ShareGroupSettings.RECORD_LOCK_DURATION_PROPERTY
						: share.isRejectExhausted() ? ShareGroupSettings.REJECT_EXHAUSTED_PROPERTY : null;
		if (property != null) {
			String prefix = "kafka.worker.workers." + sources.id + ".";
			throw new KafkaWorkerConfigurationException(
					"Worker '" + sources.id + "' (" + sources.method.description() + ") sets " + prefix + property
							+ ", a setting of share-group workers, but it does not consume "
							+ "through a share group (share-group is false, from " + shareGroup.source() + ").",
					"Set " + prefix + "share-group=true to consume through a share group, or remove " + prefix
							+ "share.*.");
		}
	}

	// A worker on a named cluster consumes there; what it produces or looks up (dead
	// letters, exactly-once transactions, its group table, a reader's partitions) would
	// go
	// through the application's own clients, on the cluster of spring.kafka.*: refused
	// rather than sent to the wrong cluster.
	private static void checkCluster(WorkerSettings settings, WorkerMethod method, String cluster) {
		String worker = "Worker '" + settings.id() + "' (" + method.description() + ") consumes from cluster '"
				+ cluster + "' (kafka.worker.workers." + settings.id() + ".cluster)";
		String why = ", whose producers and admin are those of spring.kafka.*, another cluster";
		if (settings.failure().onFailure() == FailurePolicy.DEAD_LETTER) {
			throw new KafkaWorkerConfigurationException(worker + " and dead-letters failed records" + why,
					"Use on-failure FREEZE, SKIP or STOP for a worker on a named cluster.");
		}
		if (settings.kafkaTransactions()) {
			throw new KafkaWorkerConfigurationException(worker + " exactly once with Kafka transactions" + why,
					"Use AT_LEAST_ONCE, or exactly-once.store=JDBC, for a worker on a named cluster.");
		}
		if (method.hasTableRow()) {
			throw new KafkaWorkerConfigurationException(worker + " with a group table" + why,
					"Keep group tables on the cluster of spring.kafka.*.");
		}
		ShareGroupSettings share = settings.share();
		if (share != null && !share.groupConfigs().isEmpty()) {
			throw new KafkaWorkerConfigurationException(worker + " and sets configs of its share group" + why,
					"Set them on that cluster with kafka-configs.sh --entity-type groups, and remove "
							+ "kafka.worker.workers." + settings.id() + ".share.*.");
		}
		ReaderSettings reader = settings.reader();
		if (reader != null && reader.partitions().isEmpty()) {
			throw new KafkaWorkerConfigurationException(worker + " as a reader of all partitions" + why,
					"List the partitions in kafka.worker.workers." + settings.id() + ".reader.partitions.");
		}
	}

	// A reader has no group to commit to: it is at least once by construction (a restart
	// reads from its start position again), and its handler takes no group-table row.
	// Each setting: the properties, then the annotation's @Reader, then the default.
	private @Nullable ReaderSettings reader(String id, WorkerMethod method, KafkaWorkerProperties.Reader reader,
			List<String> topics, Delivery delivery) {
		Reader[] annotated = method.annotation().reader();
		Reader annotation = (annotated.length > 0) ? annotated[0] : null;
		boolean enabled = (reader.getEnabled() != null) ? reader.getEnabled() : annotation != null;
		if (!enabled) {
			return null;
		}
		String prefix = "kafka.worker.workers." + id + ".reader";
		String worker = "Worker '" + id + "' (" + method.description() + ") reads without a consumer group (" + prefix
				+ ".enabled=true or @Reader)";
		ReadFrom start = (reader.getStart() != null) ? reader.getStart()
				: (annotation != null) ? annotation.start() : ReadFrom.EARLIEST;
		Instant startTimestamp = (reader.getStartTimestamp() != null) ? reader.getStartTimestamp()
				: annotatedTimestamp(annotation, method);
		boolean stopAtEnd = (reader.getStopAt() != null) ? reader.getStopAt() == KafkaWorkerProperties.Reader.StopAt.END
				: annotation != null && annotation.stopAtEnd();
		boolean exitWhenDone = (reader.getExitWhenDone() != null) ? reader.getExitWhenDone()
				: annotation != null && annotation.exitWhenDone();
		List<Integer> partitions = new ArrayList<>(reader.getPartitions());
		if (partitions.isEmpty() && annotation != null) {
			Arrays.stream(annotation.partitions()).forEach(partitions::add);
		}
		if (delivery != Delivery.AT_LEAST_ONCE) {
			throw new KafkaWorkerConfigurationException(
					worker + " but its delivery is " + delivery + ": a reader commits nothing, so it is at least once",
					"Use delivery AT_LEAST_ONCE, or consume in a consumer group.");
		}
		if (method.hasTableRow()) {
			throw new KafkaWorkerConfigurationException(worker + " but its handler takes a TableRow",
					"Keep group tables for workers of a consumer group; a reader can look rows up in a TableView.");
		}
		if (start == ReadFrom.TIMESTAMP && startTimestamp == null) {
			throw new KafkaWorkerConfigurationException(worker + " from a TIMESTAMP but has no start timestamp",
					"Set " + prefix + ".start-timestamp, for example 2026-12-01T00:00:00Z.");
		}
		if (start == ReadFrom.OFFSETS && reader.getStartOffsets().isEmpty()) {
			throw new KafkaWorkerConfigurationException(worker + " from OFFSETS but has no start offsets",
					"Set " + prefix + ".start-offsets.<topic>-<partition>=<offset>.");
		}
		if (exitWhenDone && !stopAtEnd) {
			throw new KafkaWorkerConfigurationException(worker + " with exit-when-done but never stops",
					"Set " + prefix + ".stop-at=END (or @Reader(stopAtEnd = true)).");
		}
		Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
		reader.getStartOffsets().forEach((key, offset) -> {
			int dash = key.lastIndexOf('-');
			String topic = (dash > 0) ? key.substring(0, dash) : "";
			String number = (dash > 0) ? key.substring(dash + 1) : "";
			if (!topics.contains(topic) || !number.chars().allMatch(Character::isDigit) || number.isEmpty()
					|| offset == null || offset < 0) {
				throw new KafkaWorkerConfigurationException(
						worker + " from offset " + offset + " of '" + key + "', which is not <topic>-<partition> of "
								+ "one of its topics " + topics + " with an offset of 0 or more",
						"Key " + prefix + ".start-offsets by topic and partition, for example " + topics.get(0)
								+ "-0=100.");
			}
			offsets.put(new TopicPartition(topic, Integer.parseInt(number)), offset);
		});
		for (Integer partition : partitions) {
			if (partition == null || partition < 0) {
				throw new KafkaWorkerConfigurationException(worker + " with partition " + partition,
						"List partition numbers of 0 or more in " + prefix + ".partitions.");
			}
		}
		return new ReaderSettings(partitions, start, startTimestamp, offsets, stopAtEnd, exitWhenDone);
	}

	private @Nullable Instant annotatedTimestamp(@Nullable Reader annotation, WorkerMethod method) {
		if (annotation == null || !StringUtils.hasText(annotation.startTimestamp())) {
			return null;
		}
		String value = resolve(annotation.startTimestamp(), "reader.startTimestamp", method).trim();
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new KafkaWorkerConfigurationException(
					"@Reader(startTimestamp = \"" + annotation.startTimestamp() + "\") on " + method.description()
							+ " resolves to '" + value + "', not an ISO-8601 instant.",
					"Give a time such as 2026-12-01T00:00:00Z.");
		}
	}

	/**
	 * Return the Kafka consumer properties of a worker's consumers: the defaults'
	 * {@code consumer-properties}, then the worker's, which win. Properties the engine
	 * owns are refused, naming the property whose value would apply.
	 * @param settings the worker's resolved settings
	 * @param method the worker's method
	 * @return the properties
	 */
	Properties consumerProperties(WorkerSettings settings, WorkerMethod method) {
		Map<String, String> merged = new LinkedHashMap<>(this.properties.getDefaults().getConsumerProperties());
		KafkaWorkerProperties.Worker configured = this.properties.getWorkers().get(settings.id());
		Properties properties = new Properties();
		String cluster = (configured != null) ? configured.getCluster() : null;
		if (cluster != null) {
			// The cluster's brokers and settings; the worker's own consumer properties
			// still win.
			checkCluster(settings, method, cluster);
			new NamedClusters(this.properties.getClusters())
				.overrides(cluster,
						"Worker '" + settings.id() + "' (kafka.worker.workers." + settings.id() + ".cluster)")
				.forEach((name, value) -> properties.setProperty(name, String.valueOf(value)));
		}
		if (configured != null) {
			merged.putAll(configured.getConsumerProperties());
		}
		merged.forEach((name, value) -> {
			String refusal = refusal(name, value.trim(), settings);
			if (refusal != null) {
				String source = consumerPropertySource(settings.id(), name);
				throw new KafkaWorkerConfigurationException("Worker '" + settings.id() + "' (" + method.description()
						+ ") cannot set " + source + "=" + value + ": " + refusal + ".", "Remove " + source + ".");
			}
			properties.setProperty(name, value);
		});
		return properties;
	}

	/**
	 * Return the property that sets a Kafka consumer property of a worker: the worker's
	 * {@code consumer-properties} entry, else the defaults'.
	 * @param workerId the worker's id
	 * @param name the Kafka consumer property
	 * @return the property, or {@code null} if neither sets it
	 */
	@Nullable String consumerPropertySource(String workerId, String name) {
		KafkaWorkerProperties.Worker configured = this.properties.getWorkers().get(workerId);
		if (configured != null && configured.getConsumerProperties().containsKey(name)) {
			return "kafka.worker.workers." + workerId + ".consumer-properties." + name;
		}
		if (this.properties.getDefaults().getConsumerProperties().containsKey(name)) {
			return "kafka.worker.defaults.consumer-properties." + name;
		}
		return null;
	}

	// Why a consumer property may not be set per worker, or null if it may.
	private static @Nullable String refusal(String name, String value, WorkerSettings settings) {
		return switch (name) {
			case ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG ->
				"workers connect through spring.kafka.bootstrap-servers (spring.kafka.consumer.bootstrap-servers)";
			case ConsumerConfig.GROUP_ID_CONFIG ->
				"the consumer group is kafka.worker.workers." + settings.id() + ".group-id";
			case ConsumerConfig.CLIENT_ID_CONFIG ->
				"the client id is derived from the worker id (Spring Kafka ignores a per-container client.id)";
			case ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG ->
				"the worker commits offsets itself; auto-commit would commit past unfinished records";
			case ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
					ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS,
					ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS ->
				"deserializers come from spring.kafka.consumer.key-deserializer and value-deserializer, which every "
						+ "worker wraps to catch records that cannot be deserialized";
			case ConsumerConfig.ISOLATION_LEVEL_CONFIG -> (settings.delivery() == Delivery.EXACTLY_ONCE
					&& !"read_committed".equals(value.toLowerCase(Locale.ROOT)))
							? "delivery EXACTLY_ONCE reads its input read_committed (otherwise it would handle records "
									+ "of aborted transactions)"
							: null;
			default -> null;
		};
	}

	private FailureSettings failure(Sources sources, KafkaWorkerProperties.Defaults defaults) {
		KafkaWorkerProperties.Worker worker = sources.worker;
		FailurePolicy onFailure = sources.choose("on-failure", worker.getOnFailure(), defaults.getOnFailure()).value();
		int maxAttempts = positive(sources.choose("retry.max-attempts", worker.getRetry().getMaxAttempts(),
				defaults.getRetry().getMaxAttempts()));
		List<Class<? extends Throwable>> nonRetryable = new ArrayList<>(
				WorkerRetryPolicy.defaultNonRetryable(getClass().getClassLoader()));
		nonRetryable.addAll(defaults.getRetry().getNonRetryableExceptions());
		nonRetryable.addAll(worker.getRetry().getNonRetryableExceptions());
		FreezeScope scope = sources
			.choose("freeze.scope", worker.getFreeze().getScope(), defaults.getFreeze().getScope())
			.value();
		Duration retryAfter = (worker.getFreeze().getRetryAfter() != null) ? worker.getFreeze().getRetryAfter()
				: defaults.getFreeze().getRetryAfter();
		if (retryAfter != null && (retryAfter.isNegative() || retryAfter.isZero())) {
			sources
				.choose("freeze.retry-after", worker.getFreeze().getRetryAfter(), defaults.getFreeze().getRetryAfter())
				.require((value) -> false, "a positive duration");
		}
		int maxHeldRecords = positive(sources.choose("freeze.max-held-records", worker.getFreeze().getMaxHeldRecords(),
				defaults.getFreeze().getMaxHeldRecords()));
		String deadLetterTopic = (worker.getDeadLetter().getTopic() != null) ? worker.getDeadLetter().getTopic()
				: defaults.getDeadLetter().getTopic();
		String deadLetterTopicSuffix = sources
			.choose("dead-letter.topic-suffix", worker.getDeadLetter().getTopicSuffix(),
					defaults.getDeadLetter().getTopicSuffix())
			.require((value) -> TOPIC_SUFFIX.matcher(value).matches(),
					"one or more characters allowed in a topic name: letters, digits, '.', '_' and '-'");
		boolean createTopic = sources
			.choose("dead-letter.create-topic", worker.getDeadLetter().getCreateTopic(),
					defaults.getDeadLetter().getCreateTopic())
			.value();
		Duration sendTimeout = sources
			.choose("dead-letter.send-timeout", worker.getDeadLetter().getSendTimeout(),
					defaults.getDeadLetter().getSendTimeout())
			.require((value) -> !value.isNegative() && !value.isZero(), "a positive duration");
		return new FailureSettings(onFailure,
				new WorkerRetryPolicy(maxAttempts, backOff(sources, defaults), nonRetryable), scope, retryAfter,
				maxHeldRecords, deadLetterTopic, deadLetterTopicSuffix, createTopic, sendTimeout);
	}

	// The worker's BackOff bean if it names one, else the exponential back-off of its
	// retry.backoff.* settings.
	private BackOff backOff(Sources sources, KafkaWorkerProperties.Defaults defaults) {
		KafkaWorkerProperties.Backoff backoff = sources.worker.getRetry().getBackoff();
		KafkaWorkerProperties.Backoff defaultBackoff = defaults.getRetry().getBackoff();
		String bean = (backoff.getBean() != null) ? backoff.getBean() : defaultBackoff.getBean();
		if (StringUtils.hasText(bean)) {
			Setting<String> name = sources.choose("retry.backoff.bean", backoff.getBean(), defaultBackoff.getBean());
			return this.backOffBeans.get(name.value(), name.source(),
					"worker '" + sources.id + "', " + sources.method.description());
		}
		Duration initial = sources.choose("retry.backoff.initial", backoff.getInitial(), defaultBackoff.getInitial())
			.require((value) -> !value.isNegative(), "a duration of zero or more");
		double multiplier = sources
			.choose("retry.backoff.multiplier", backoff.getMultiplier(), defaultBackoff.getMultiplier())
			.require((value) -> value >= 1.0, "a number of at least 1");
		Duration max = sources.choose("retry.backoff.max", backoff.getMax(), defaultBackoff.getMax())
			.require((value) -> value.compareTo(initial) >= 0, "a duration of at least retry.backoff.initial");
		double jitter = sources.choose("retry.backoff.jitter", backoff.getJitter(), defaultBackoff.getJitter())
			.require((value) -> value >= 0.0 && value <= 1.0, "a number from 0 to 1");
		return WorkerRetryPolicy.exponentialBackOff(initial, multiplier, max, jitter);
	}

	private List<String> topics(WorkerMethod method, Sources sources) {
		if (!sources.worker.getTopics().isEmpty()) {
			return sources.worker.getTopics();
		}
		List<String> topics = new ArrayList<>();
		for (String topic : method.annotation().topics()) {
			for (String resolved : StringUtils.commaDelimitedListToStringArray(resolve(topic, "topics", method))) {
				if (StringUtils.hasText(resolved)) {
					topics.add(resolved.trim());
				}
			}
		}
		if (topics.isEmpty()) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + sources.id + "' (" + method.description() + ") has no topics to consume.",
					"Set @KafkaBatchWorker(topics = ...) or kafka.worker.workers." + sources.id + ".topics.");
		}
		return topics;
	}

	private static Delivery delivery(Setting<Delivery> setting) {
		return setting.require((value) -> value != Delivery.DEFAULT, "AT_LEAST_ONCE, AT_MOST_ONCE or EXACTLY_ONCE");
	}

	private static int positive(Setting<Integer> setting) {
		return setting.require((value) -> value >= 1, "a number of at least 1");
	}

	private static @Nullable Integer unsetToNull(int value) {
		return (value == KafkaBatchWorker.UNSET) ? null : value;
	}

	private @Nullable Boolean bool(String annotated, String attribute, WorkerMethod method) {
		if (!StringUtils.hasText(annotated)) {
			return null;
		}
		String value = resolve(annotated, attribute, method).trim();
		if (!"true".equalsIgnoreCase(value) && !"false".equalsIgnoreCase(value)) {
			throw new KafkaWorkerConfigurationException(
					"@KafkaBatchWorker(" + attribute + " = \"" + annotated + "\") on " + method.description()
							+ " resolves to '" + value + "', not true or false.",
					"Set " + attribute + " to \"true\", \"false\" or a placeholder that resolves to one of them.");
		}
		return Boolean.valueOf(value);
	}

	// A share group hands each record to any member, in no order, acknowledges records
	// one by one and has no offsets to commit, transactions or partitions of its own.
	private static void checkShareGroup(Setting<Boolean> shareGroup, Mode mode, Delivery delivery,
			FailureSettings failure, @Nullable ReaderSettings reader, WorkerMethod method) {
		String worker = "Worker '" + shareGroup.sources().id + "' (" + method.description()
				+ ") consumes through a share group (" + shareGroup.source() + ")";
		if (mode != Mode.PARALLEL) {
			throw new KafkaWorkerConfigurationException(
					worker + " but its mode is " + mode + ": a share group hands records to any member in no order.",
					"Use mode PARALLEL, or a consumer group (share-group=false) for SERIAL, PARTITION or KEY order.");
		}
		if (delivery != Delivery.AT_LEAST_ONCE) {
			throw new KafkaWorkerConfigurationException(
					worker + " but its delivery is " + delivery
							+ ": share groups acknowledge each record after its handler and have no transactions.",
					"Use delivery AT_LEAST_ONCE, or a consumer group (share-group=false).");
		}
		if (reader != null) {
			throw new KafkaWorkerConfigurationException(worker + " and is a reader, which has no group at all.",
					"Choose one: a reader or a share group.");
		}
		if (method.hasTableRow()) {
			throw new KafkaWorkerConfigurationException(
					worker + " and takes a group-table row: rows need one writer per key, which a share group "
							+ "cannot give.",
					"Use mode KEY with a consumer group (share-group=false) for a group table.");
		}
		if (failure.onFailure() == FailurePolicy.FREEZE) {
			throw new KafkaWorkerConfigurationException(worker
					+ " and its on-failure is FREEZE: a share group has no partition to stop at a failed record.",
					"Set kafka.worker.workers." + shareGroup.sources().id
							+ ".on-failure to DEAD_LETTER (or SKIP, or STOP).");
		}
	}

	private String resolve(String value, String attribute, WorkerMethod method) {
		try {
			return this.placeholders.resolveRequiredPlaceholders(value);
		}
		catch (IllegalArgumentException ex) {
			throw new KafkaWorkerConfigurationException(
					"@KafkaBatchWorker(" + attribute + " = \"" + value + "\") on " + method.description()
							+ " cannot be resolved: " + ex.getMessage(),
					"Define the property the placeholder names, or give the placeholder a default "
							+ "(${name:default}).",
					ex);
		}
	}

	/**
	 * Where one worker's values come from, to name the source of a bad value.
	 */
	private static final class Sources {

		final String id;

		final WorkerMethod method;

		final KafkaWorkerProperties.Worker worker;

		Sources(String id, WorkerMethod method, KafkaWorkerProperties.Worker worker) {
			this.id = id;
			this.method = method;
			this.worker = worker;
		}

		// A setting of the worker's own properties, which nothing else sets.
		<T> Setting<T> own(String property, T value) {
			return new Setting<>(value, "kafka.worker.workers." + this.id + "." + property, this);
		}

		<T> Setting<T> choose(String property, @Nullable T fromWorker, @Nullable T fromDefaults) {
			return choose(property, null, fromWorker, null, fromDefaults);
		}

		<T> Setting<T> choose(String property, @Nullable String attribute, @Nullable T fromWorker,
				@Nullable T fromAnnotation, @Nullable T fromDefaults) {
			if (fromWorker != null) {
				return own(property, fromWorker);
			}
			if (fromAnnotation != null) {
				return new Setting<>(fromAnnotation,
						"@KafkaBatchWorker(" + attribute + " = " + fromAnnotation + ") on " + this.method.description(),
						this);
			}
			if (fromDefaults == null) {
				throw new KafkaWorkerConfigurationException(
						"Worker '" + this.id + "' (" + this.method.description() + ") has no " + property
								+ ": kafka.worker.defaults." + property + " was set to null.",
						"Set kafka.worker.defaults." + property + ".");
			}
			return new Setting<>(fromDefaults, "kafka.worker.defaults." + property, this);
		}

	}

	private record Setting<T>(T value, String source, Sources sources) {

		T require(Predicate<T> valid, String rule) {
			if (!valid.test(this.value)) {
				throw new KafkaWorkerConfigurationException(
						"Invalid value '" + this.value + "' for " + this.source + " (worker '" + this.sources.id + "', "
								+ this.sources.method.description() + "): expected " + rule + ".",
						"Set " + this.source + " to " + rule + ".");
			}
			return this.value;
		}

	}

}
