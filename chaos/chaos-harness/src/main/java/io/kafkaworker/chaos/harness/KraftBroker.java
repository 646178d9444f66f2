package io.kafkaworker.chaos.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The single-node KRaft broker (the benchmarks' {@code BrokerMain}) in its own JVM, on a
 * fixed loopback port with a persistent log directory, so that it can be killed with
 * SIGKILL and restarted on the same port and data.
 */
final class KraftBroker {

	private final String classpath;

	private final Path workDir;

	private final int port;

	private volatile Child jvm;

	private int starts;

	KraftBroker(String classpath, Path workDir, int port) {
		this.classpath = classpath;
		this.workDir = workDir;
		this.port = port;
	}

	String bootstrap() {
		return "localhost:" + this.port;
	}

	/**
	 * Start the broker (again) and wait until it is ready, at most 90 s. While its port is
	 * still taken (by the previous broker, or another program), it tries again every 2 s
	 * for 30 s.
	 * @throws Exception if it does not start
	 */
	synchronized void start() throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		for (int attempt = 0; attempt < 15; attempt++) {
			this.starts++;
			Path log = this.workDir.resolve("broker-" + this.starts + ".log");
			this.jvm = Child.startJvm("broker",
					List.of("-Xms384m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
							"-Dbroker.port=" + this.port, "-Dbroker.dir=" + this.workDir.resolve("broker-data"),
							// The consumer protocol's (KIP-848) timeouts are the broker's: the
							// same 10 s session and 2 s heartbeats the classic workers ask for.
							"-Dbroker.config.group.consumer.min.session.timeout.ms=6000",
							"-Dbroker.config.group.consumer.session.timeout.ms=10000",
							"-Dbroker.config.group.consumer.min.heartbeat.interval.ms=1000",
							"-Dbroker.config.group.consumer.heartbeat.interval.ms=2000",
							"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
					this.classpath, "io.kafkaworker.bench.broker.BrokerMain", List.of(), log);
			while (this.jvm.isAlive() && System.nanoTime() < deadline) {
				if (Files.readString(log, StandardCharsets.UTF_8).contains("BROKER READY")) {
					return;
				}
				Thread.sleep(200);
			}
			this.jvm.kill();
			if (!Files.readString(log, StandardCharsets.UTF_8).contains("Address already in use")
					|| System.nanoTime() > deadline) {
				throw new IllegalStateException("The broker did not start; see " + log);
			}
			Thread.sleep(2000);
		}
		throw new IllegalStateException("The broker's port " + this.port + " stayed taken");
	}

	/**
	 * SIGKILL the broker and wait until it is gone.
	 */
	void kill9() {
		this.jvm.signal("KILL");
		this.jvm.awaitExit(30);
		this.jvm.kill();
	}

	void stop() {
		if (this.jvm != null) {
			this.jvm.kill();
		}
	}

	Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
	}

	/**
	 * Create topics and wait until each of their partitions has a leader.
	 * @param partitions the partition count of each topic
	 * @param topics the topics
	 * @throws Exception if they cannot be created
	 */
	void createTopics(int partitions, String... topics) throws Exception {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(topics).stream().map((topic) -> new NewTopic(topic, partitions, (short) 1)).toList())
				.all()
				.get();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (true) {
				try {
					for (String topic : topics) {
						endOffsets(admin, topic, partitions);
					}
					return;
				}
				catch (ExecutionException ex) {
					if (System.nanoTime() > deadline) {
						throw ex;
					}
					Thread.sleep(100);
				}
			}
		}
	}

	static long[] endOffsets(Admin admin, String topic, int partitions)
			throws InterruptedException, ExecutionException {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			request.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		long[] ends = new long[partitions];
		admin.listOffsets(request).all().get().forEach((partition, info) -> ends[partition.partition()] = info.offset());
		return ends;
	}

	/**
	 * Read a group's committed offsets of a topic.
	 * @param admin the admin client
	 * @param group the group
	 * @param topic the topic
	 * @param partitions its partition count
	 * @return the committed offset by partition, -1 where none
	 * @throws Exception if they cannot be read
	 */
	static long[] committed(Admin admin, String group, String topic, int partitions) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get();
		long[] committed = new long[partitions];
		for (int i = 0; i < partitions; i++) {
			OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, i));
			committed[i] = (offset != null) ? offset.offset() : -1;
		}
		return committed;
	}

}
