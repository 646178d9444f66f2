package io.kafkaworker.bench.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker, Apache Kafka's own server, in its own JVM: the harness
 * starts it, and contenders never share a JVM with it.
 *
 * <p>
 * System properties: {@code broker.port} (PLAINTEXT; the controller listens on the next
 * port), {@code broker.dir} (the log directory, formatted here) and
 * {@code bench.parentPid} (the broker halts when that process ends); any
 * {@code broker.config.NAME} sets the broker's {@code NAME}, over the defaults here. Prints
 * {@code BROKER READY} once started.
 */
public final class BrokerMain {

	private static final String CONTROLLER = "CONTROLLER";

	private BrokerMain() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.getInteger("broker.port");
		Path dir = Path.of(System.getProperty("broker.dir"));
		watchParent();
		Files.createDirectories(dir);
		Properties properties = new Properties();
		properties.put("process.roles", "broker,controller");
		properties.put("node.id", "1");
		properties.put("controller.quorum.voters", "1@localhost:" + (port + 1));
		properties.put("listeners", "PLAINTEXT://localhost:" + port + "," + CONTROLLER + "://localhost:" + (port + 1));
		properties.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
		properties.put("controller.listener.names", CONTROLLER);
		properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
		properties.put("inter.broker.listener.name", "PLAINTEXT");
		properties.put("log.dirs", dir.toString());
		properties.put("offsets.topic.replication.factor", "1");
		properties.put("offsets.topic.num.partitions", "8");
		properties.put("transaction.state.log.replication.factor", "1");
		properties.put("transaction.state.log.min.isr", "1");
		properties.put("transaction.state.log.num.partitions", "4");
		properties.put("share.coordinator.state.topic.replication.factor", "1");
		properties.put("share.coordinator.state.topic.min.isr", "1");
		// Share groups (P8; the share.version feature is on in a cluster formatted at
		// 4.2): a state topic of 4 partitions rather than 50, faster to create.
		properties.put("share.coordinator.state.topic.num.partitions", "4");
		properties.put("default.replication.factor", "1");
		properties.put("min.insync.replicas", "1");
		properties.put("group.initial.rebalance.delay.ms", "0");
		properties.put("auto.create.topics.enable", "false");
		properties.put("num.partitions", "1");
		// Benchmarks read what they wrote minutes earlier: keep every segment.
		properties.put("log.retention.ms", "-1");
		properties.put("log.retention.bytes", "-1");
		System.getProperties().stringPropertyNames().stream().filter((name) -> name.startsWith("broker.config.")).forEach(
				(name) -> properties.put(name.substring("broker.config.".length()), System.getProperty(name)));
		KafkaConfig config = KafkaConfig.fromProps(properties, false);

		// A directory formatted by an earlier start keeps its cluster id: the chaos harness
		// kills the broker with SIGKILL and restarts it on the same data.
		if (!Files.exists(dir.resolve("meta.properties"))) {
			new Formatter().setNodeId(1)
				.setClusterId(Uuid.randomUuid().toString())
				.setDirectories(List.of(dir.toString()))
				.setMetadataLogDirectory(dir.toString())
				.setControllerListenerName(CONTROLLER)
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.setIgnoreFormatted(true)
				.setPrintStream(System.out)
				.run();
		}

		KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
		Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "broker-shutdown"));
		server.startup();
		System.out.println("BROKER READY localhost:" + port);
		server.awaitShutdown();
	}

	private static void watchParent() {
		Long parent = Long.getLong("bench.parentPid");
		if (parent != null) {
			ProcessHandle.of(parent)
				.ifPresentOrElse((handle) -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
						() -> Runtime.getRuntime().halt(3));
		}
	}

}
