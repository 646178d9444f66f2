package io.kafkaworker.container;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.core.ShareConsumerFactory;

/**
 * Share consumers of share-group workers, configured like the application's consumers.
 */
public final class ShareConsumers {

	/**
	 * Consumer settings a share consumer refuses (KafkaShareConsumer throws at
	 * construction): share groups have no offsets to reset or commit, no assignors and no
	 * isolation level of their own (those are group configs on the broker).
	 */
	static final List<String> UNSUPPORTED = List.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
			ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
			ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
			ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
			ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
			ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

	private static final String ACKNOWLEDGEMENT_MODE = "share.acknowledgement.mode";

	private static final String ACQUIRE_MODE = "share.acquire.mode";

	private ShareConsumers() {
	}

	/**
	 * Return a share consumer factory with the connection and client settings of the
	 * application's consumer factory ({@code spring.kafka.consumer.*}), less those a
	 * share consumer refuses: one connection configuration for both kinds of group.
	 * @param consumerProperties the application's consumer properties
	 * @return the factory
	 */
	public static ShareConsumerFactory<Object, Object> from(Map<String, Object> consumerProperties) {
		Map<String, Object> configs = new HashMap<>(consumerProperties);
		UNSUPPORTED.forEach(configs::remove);
		return new DefaultShareConsumerFactory<>(configs);
	}

	// The worker's own consumer properties (and the engine's poison-pill deserializers),
	// less what a share consumer refuses, with explicit acknowledgement: the engine
	// acknowledges each record itself. Unless configured, a consumer acquires no more
	// records than twice what its worker runs at once and prefetches none (record_limit):
	// acquired records are locked for this member, so a member that prefetched a batch
	// would leave the others idle while its records wait.
	static Map<String, Object> overrides(Properties consumerProperties, Map<String, Object> configured,
			int recordsAtOnce) {
		Map<String, Object> overrides = new HashMap<>();
		consumerProperties.forEach((name, value) -> overrides.put(String.valueOf(name), value));
		UNSUPPORTED.forEach(overrides::remove);
		overrides.put(ACKNOWLEDGEMENT_MODE, "explicit");
		if (!overrides.containsKey(ACQUIRE_MODE) && !configured.containsKey(ACQUIRE_MODE)) {
			overrides.put(ACQUIRE_MODE, "record_limit");
		}
		if (!overrides.containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)
				&& !configured.containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)) {
			overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, 2 * recordsAtOnce));
		}
		return overrides;
	}

}
