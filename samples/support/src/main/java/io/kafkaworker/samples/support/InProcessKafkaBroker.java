package io.kafkaworker.samples.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import org.springframework.util.FileSystemUtils;

/**
 * A single-node Apache Kafka cluster running inside this JVM: Kafka's own
 * {@code KafkaRaftServer}, the server that {@code kafka-server-start.sh} runs, acting as
 * both broker and KRaft controller, with its data in a temporary directory that
 * {@link #close()} deletes. Nothing here is a mock: any Kafka client, kcat or the Kafka
 * CLI tools can connect to it.
 *
 * <p>
 * Starting one takes the two steps of a real installation: format the storage directory
 * (what {@code kafka-storage.sh format} does), then start the server.
 */
public final class InProcessKafkaBroker implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(InProcessKafkaBroker.class);

	private static final int NODE_ID = 1;

	private static final String CONTROLLER_LISTENER = "CONTROLLER";

	private final int port;

	private final Path dataDirectory;

	private final KafkaRaftServer server;

	private final AtomicBoolean closed = new AtomicBoolean();

	private InProcessKafkaBroker(int port, Path dataDirectory, KafkaRaftServer server) {
		this.port = port;
		this.dataDirectory = dataDirectory;
		this.server = server;
	}

	/**
	 * Format a new data directory and start a broker on it. Returns once the broker
	 * accepts clients.
	 * @param port the client port on localhost; the controller listens on the next port
	 * @return the running broker, to be closed
	 * @throws IllegalStateException if a port is in use or the broker cannot start
	 */
	public static InProcessKafkaBroker start(int port) {
		long startNanos = System.nanoTime();
		int controllerPort = port + 1;
		checkPortIsFree(port, port);
		checkPortIsFree(controllerPort, port);
		Path dataDirectory = createDataDirectory();
		try {
			// Creating the config only validates it: doLog=false keeps its hundreds of
			// values out of the log.
			KafkaConfig config = new KafkaConfig(serverProperties(port, controllerPort, dataDirectory), false);
			format(dataDirectory);
			KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
			try {
				// Blocks until the controller has elected itself and the broker is
				// registered and unfenced, so clients can connect right away.
				server.startup();
			}
			catch (RuntimeException ex) {
				server.shutdown();
				server.awaitShutdown();
				throw ex;
			}
			InProcessKafkaBroker broker = new InProcessKafkaBroker(port, dataDirectory, server);
			logger.info(String.format(
					"Started an in-process Kafka broker at %s (KRaft, data in %s) in %,d ms; reach it with "
							+ "kcat -b %1$s -L",
					broker.bootstrapServers(), dataDirectory,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
			return broker;
		}
		catch (RuntimeException ex) {
			delete(dataDirectory);
			throw new IllegalStateException("Could not start the in-process Kafka broker on localhost:" + port, ex);
		}
	}

	// The broker's configuration: what a single-node server.properties for KRaft holds.
	private static Properties serverProperties(int port, int controllerPort, Path dataDirectory) {
		Properties properties = new Properties();
		// One process that is both a broker and the (only) KRaft controller.
		properties.setProperty("process.roles", "broker,controller");
		properties.setProperty("node.id", Integer.toString(NODE_ID));
		properties.setProperty("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
		properties.setProperty("controller.listener.names", CONTROLLER_LISTENER);
		properties.setProperty("listeners",
				"PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
		properties.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
		properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
		properties.setProperty("log.dirs", dataDirectory.toString());
		// Internal topics default to 3 replicas, which one broker cannot host.
		properties.setProperty("offsets.topic.replication.factor", "1");
		properties.setProperty("transaction.state.log.replication.factor", "1");
		properties.setProperty("transaction.state.log.min.isr", "1");
		// Workers use the consumer group protocol (KIP-848) here: an instance started or
		// stopped in a demo is seen within seconds, not Kafka's 45 s session timeout.
		properties.setProperty("group.consumer.min.session.timeout.ms", "3000");
		properties.setProperty("group.consumer.session.timeout.ms", "10000");
		properties.setProperty("group.consumer.min.heartbeat.interval.ms", "500");
		properties.setProperty("group.consumer.heartbeat.interval.ms", "1000");
		properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
		properties.setProperty("share.coordinator.state.topic.min.isr", "1");
		// One partition instead of 50 for consumer offsets: plenty here, and created
		// faster when the first consumer group starts.
		properties.setProperty("offsets.topic.num.partitions", "1");
		// A new consumer group starts at once instead of waiting 3 s for more members.
		properties.setProperty("group.initial.rebalance.delay.ms", "0");
		return properties;
	}

	// Write the metadata that a KRaft node needs before it first starts: cluster id, node
	// id, metadata version. This is 'kafka-storage.sh format' for static voters
	// (controller.quorum.voters), which need no initial-controllers record. With a single
	// log directory, the metadata log lives there too.
	private static void format(Path dataDirectory) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
			new Formatter().setPrintStream(printStream)
				.setNodeId(NODE_ID)
				.setClusterId(Uuid.randomUuid().toString())
				.setControllerListenerName(CONTROLLER_LISTENER)
				.setMetadataLogDirectory(dataDirectory.toString())
				.setDirectories(List.of(dataDirectory.toString()))
				.setHasDynamicQuorum(false)
				.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not format " + dataDirectory, ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug(output.toString(StandardCharsets.UTF_8).trim());
		}
	}

	private static void checkPortIsFree(int port, int brokerPort) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Port " + port + " on localhost is in use, so the in-process Kafka broker "
					+ "cannot start (it needs port " + brokerPort + " for clients and " + (brokerPort + 1)
					+ " for its controller). If a Kafka broker already runs there, for example from "
					+ "'docker compose up -d', use it with --spring.kafka.bootstrap-servers=localhost:" + brokerPort
					+ "; otherwise choose other ports with --demo.broker.port", ex);
		}
	}

	private static Path createDataDirectory() {
		try {
			return Files.createTempDirectory("kafka-worker-sample-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a data directory for the in-process Kafka broker", ex);
		}
	}

	/**
	 * Return the address clients connect to.
	 * @return {@code localhost:<port>}
	 */
	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	/**
	 * Return the directory holding the broker's logs and metadata.
	 * @return the data directory, deleted on close
	 */
	public Path dataDirectory() {
		return this.dataDirectory;
	}

	/**
	 * Stop the broker, wait for its threads to end, and delete its data. Does nothing if
	 * already closed.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			long startNanos = System.nanoTime();
			this.server.shutdown();
			this.server.awaitShutdown();
			delete(this.dataDirectory);
			logger.info(String.format("Stopped the in-process Kafka broker at %s in %,d ms", bootstrapServers(),
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
		}
	}

	private static void delete(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + directory + ": " + ex.getMessage());
		}
	}

}
