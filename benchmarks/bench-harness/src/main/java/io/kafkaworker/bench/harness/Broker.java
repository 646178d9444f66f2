package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The single-node KRaft broker, in its own JVM, and what the harness does with it: create
 * and seed topics, read end offsets.
 */
final class Broker implements AutoCloseable {

	private final ChildJvm jvm;

	private final String bootstrap;

	private Broker(ChildJvm jvm, String bootstrap) {
		this.jvm = jvm;
		this.bootstrap = bootstrap;
	}

	/**
	 * Start the broker on a free pair of ports and wait until it is ready.
	 * @param java the java executable
	 * @param classpath the broker module's classpath
	 * @param workDir where its data and log go
	 * @return the running broker
	 * @throws Exception if it does not start
	 */
	static Broker start(String java, String classpath, Path workDir) throws Exception {
		int port = freePortPair();
		Path log = workDir.resolve("broker.log");
		ChildJvm jvm = ChildJvm.start("broker", java,
				List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dbroker.port=" + port,
						"-Dbroker.dir=" + workDir.resolve("broker-data"),
						"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
				classpath, "io.kafkaworker.bench.broker.BrokerMain", List.of(), log);
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (!Files.readString(log, StandardCharsets.UTF_8).contains("BROKER READY")) {
			if (!jvm.isAlive() || System.nanoTime() > deadline) {
				jvm.kill();
				throw new IllegalStateException("The broker did not start; see " + log);
			}
			Thread.sleep(200);
		}
		return new Broker(jvm, "localhost:" + port);
	}

	// A free port whose successor is free too (the controller listener), never 9092.
	private static int freePortPair() throws IOException {
		for (int attempt = 0; attempt < 50; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			if (port == 9092 || port == 9093 || port + 1 > 65535) {
				continue;
			}
			try (ServerSocket first = new ServerSocket(port); ServerSocket second = new ServerSocket(port + 1)) {
				return port;
			}
			catch (IOException ex) {
				// Taken meanwhile; try another.
			}
		}
		throw new IOException("No free pair of ports");
	}

	String bootstrap() {
		return this.bootstrap;
	}

	long pid() {
		return this.jvm.pid();
	}

	ChildJvm jvm() {
		return this.jvm;
	}

	Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
	}

	/**
	 * Create a topic and wait until each of its partitions has a leader.
	 * @param topic the topic
	 * @param partitions its partitions
	 * @throws Exception if it cannot be created
	 */
	void createTopic(String topic, int partitions) throws Exception {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
			awaitLeaders(admin, topic, partitions);
		}
	}

	/**
	 * Create a scenario's topic and seed it. Keys are {@code k<n>} drawn uniformly (with
	 * a fixed seed) from the scenario's keys, except the hot records, spread evenly,
	 * whose key is {@link Scenario#HOT_KEY}. The default partitioner hashes keys to
	 * partitions.
	 * @param scenario the scenario
	 * @param topic the topic to create
	 * @param timestamp the timestamp of every record: the start of seeding
	 * @return the end offset of each partition, by partition number
	 * @throws Exception if seeding fails
	 */
	long[] seed(Scenario scenario, String topic, long timestamp) throws Exception {
		createTopic(topic, scenario.partitions());
		long produceStart = System.nanoTime();
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 10);
		properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
		properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
		Random random = new Random(42);
		int hotEvery = (scenario.hotPercent() > 0) ? Math.max(1, 100 / scenario.hotPercent()) : 0;
		int hotLeft = scenario.hotRecords();
		String valuePadding = "x".repeat(Math.max(0, scenario.valueBytes() - 12));
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			for (int i = 0; i < scenario.records(); i++) {
				String key;
				if (hotLeft > 0 && i % hotEvery == 0) {
					key = Scenario.HOT_KEY;
					hotLeft--;
				}
				else {
					key = "k" + random.nextInt(scenario.keys());
				}
				String value = String.format("%012d", i) + valuePadding;
				producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (metadata, failure) -> {
					if (failure != null) {
						throw new IllegalStateException("Seeding failed", failure);
					}
				});
			}
			producer.flush();
		}
		System.out.printf("    produced %,d records in %.1f s%n", scenario.records(),
				(System.nanoTime() - produceStart) / 1e9);
		return endOffsets(topic, scenario.partitions());
	}

	long[] endOffsets(String topic, int partitions) throws InterruptedException, ExecutionException {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			request.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		try (Admin admin = admin()) {
			long[] ends = new long[partitions];
			admin.listOffsets(request)
				.all()
				.get()
				.forEach((partition, info) -> ends[partition.partition()] = info.offset());
			return ends;
		}
	}

	/**
	 * Read a consumer group's committed offset of one partition with an admin client.
	 * @param group the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @return the committed offset, {@link Outcome#NONE_COMMITTED} if the group committed
	 * none for the partition, or {@link Outcome#NOT_READ} if it could not be read
	 */
	long committedOffset(String group, String topic, int partition) {
		TopicPartition topicPartition = new TopicPartition(topic, partition);
		try (Admin admin = admin()) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(topicPartition);
			return (committed != null) ? committed.offset() : Outcome.NONE_COMMITTED;
		}
		catch (ExecutionException ex) {
			System.err.println("Could not read the committed offsets of " + group + ": " + ex.getCause());
			return Outcome.NOT_READ;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Outcome.NOT_READ;
		}
	}

	private static void awaitLeaders(Admin admin, String topic, int partitions) throws InterruptedException {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			request.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				admin.listOffsets(request).all().get();
				return;
			}
			catch (ExecutionException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Topic " + topic + " has no leaders after 30 s", ex);
				}
				Thread.sleep(100);
			}
		}
	}

	@Override
	public void close() {
		this.jvm.kill();
	}

}
