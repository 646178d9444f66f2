package io.kafkaworker.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one in-process KRaft broker of a test JVM, with an admin client and a producer
 * shared by every {@link KafkaWorkerTestSupport}. Started on first use, stopped when the
 * JVM exits.
 */
final class SharedBroker {

	private static volatile @Nullable SharedBroker instance;

	private final EmbeddedKafkaKraftBroker broker;

	private final BrokerClients clients;

	private final Set<ConfigurableApplicationContext> contexts = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private SharedBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		// The share-group state topic defaults to 3 replicas, which one broker cannot
		// host: share-group workers would never get a record.
		// Workers use the consumer group protocol (KIP-848) on it: its sessions and
		// heartbeats are the broker's, short here so that a test's instances join and
		// leave within a second or two rather than Kafka's 5 s heartbeats.
		broker.brokerProperties(Map.ofEntries(Map.entry("group.initial.rebalance.delay.ms", "0"),
				Map.entry("offsets.topic.num.partitions", "4"), Map.entry("transaction.state.log.num.partitions", "4"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"), Map.entry("auto.create.topics.enable", "false"),
				Map.entry("group.min.session.timeout.ms", "1000"),
				Map.entry("group.consumer.min.session.timeout.ms", "3000"),
				Map.entry("group.consumer.session.timeout.ms", "6000"),
				Map.entry("group.consumer.min.heartbeat.interval.ms", "500"),
				Map.entry("group.consumer.heartbeat.interval.ms", "1000"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1")));
		broker.afterPropertiesSet();
		this.broker = broker;
		this.clients = new BrokerClients(broker.getBrokersAsString());
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "kafka-worker-test-broker-shutdown"));
	}

	/**
	 * Return the broker, starting it on first use.
	 * @return the broker of this JVM
	 */
	static SharedBroker get() {
		SharedBroker current = instance;
		if (current == null) {
			synchronized (SharedBroker.class) {
				current = instance;
				if (current == null) {
					current = new SharedBroker();
					instance = current;
				}
			}
		}
		return current;
	}

	String bootstrapServers() {
		return this.clients.bootstrapServers();
	}

	/**
	 * Remember a context that uses the broker, so that it closes before the broker stops
	 * at JVM exit: its workers then commit and leave their groups instead of waiting for
	 * a broker that is gone.
	 * @param context the context
	 */
	void register(ConfigurableApplicationContext context) {
		this.contexts.add(context);
	}

	BrokerClients clients() {
		return this.clients;
	}

	private void stop() {
		List<ConfigurableApplicationContext> open;
		synchronized (this.contexts) {
			open = new ArrayList<>(this.contexts);
		}
		for (ConfigurableApplicationContext context : open) {
			try {
				// waits for a close already under way in Spring's own shutdown hook
				context.close();
			}
			catch (RuntimeException ex) {
				// the JVM exits: nothing to report to
			}
		}
		this.clients.close();
		this.broker.destroy();
	}

}
