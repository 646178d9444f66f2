package io.kafkaworker.samples.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.TopicOffsets;
import io.kafkaworker.admin.Watermarks;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code topics list|describe|create}: go-kafka's {@code -list} and {@code -query}, and
 * the topic creation its {@code -partition} and {@code -replica} options were for.
 * Watermarks and counts come from kafka-worker's {@link KafkaOffsets}.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "List, describe and create topics.")
public class TopicsCommand {

	private final KafkaClients kafka;

	private final KafkaOffsets offsets;

	private final CliConsole console;

	TopicsCommand(KafkaClients kafka, KafkaOffsets offsets, CliConsole console) {
		this.kafka = kafka;
		this.offsets = offsets;
		this.console = console;
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "Print the topics' names, one a line.")
	int list(@Option(names = "--internal",
			description = "Include internal topics (__consumer_offsets...).") boolean internal) {
		ListTopicsOptions options = new ListTopicsOptions().listInternal(internal);
		this.kafka.await(this.kafka.admin().listTopics(options).names(), "list the topics")
			.stream()
			.sorted()
			.forEach(this.console.out()::println);
		return 0;
	}

	@Command(name = "describe", mixinStandardHelpOptions = true,
			description = "Print a topic's partitions: leader, replicas, in-sync replicas, low and high watermarks "
					+ "and message count (high - low: an upper bound on compacted and transactional topics).")
	int describe(@Parameters(paramLabel = "TOPIC", description = "The topic.") String topic) {
		TopicDescription description = this.kafka
			.await(this.kafka.admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic '" + topic + "'")
			.get(topic);
		TopicOffsets watermarks = this.offsets.watermarks(topic);
		Map<Integer, Watermarks> byPartition = watermarks.partitions()
			.stream()
			.collect(Collectors.toMap(Watermarks::partition, (partition) -> partition));
		List<TopicPartitionInfo> partitions = description.partitions();
		this.console.out()
			.printf("Topic: %s  partitions: %d  replication factor: %d  messages: %d%n", topic, partitions.size(),
					partitions.isEmpty() ? 0 : partitions.get(0).replicas().size(), watermarks.messageCount());
		Table table = new Table("PARTITION", "LEADER", "REPLICAS", "ISR", "LOW", "HIGH", "MESSAGES");
		for (TopicPartitionInfo partition : partitions) {
			Watermarks marks = byPartition.get(partition.partition());
			table.row(partition.partition(), nodeId(partition.leader()), nodeIds(partition.replicas()),
					nodeIds(partition.isr()), (marks != null) ? marks.low() : null,
					(marks != null) ? marks.high() : null, (marks != null) ? marks.messageCount() : null);
		}
		table.print(this.console.out());
		return 0;
	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
	int create(@Parameters(paramLabel = "TOPIC", description = "The topic.") String topic, @Option(
			names = "--partitions", paramLabel = "N",
			description = "Its partitions (default: the broker's num.partitions).") @Nullable Integer partitions,
			@Option(names = "--replication-factor", paramLabel = "R",
					description = "Its replicas (default: the broker's default.replication.factor).") @Nullable Short replicationFactor,
			@Option(names = "--config", paramLabel = "KEY=VALUE",
					description = "A topic config, for example cleanup.policy=compact; repeatable.") @Nullable Map<String, String> configs) {
		NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions),
				Optional.ofNullable(replicationFactor));
		if (configs != null) {
			newTopic.configs(configs);
		}
		var created = this.kafka.admin().createTopics(List.of(newTopic));
		this.kafka.await(created.all(), "create topic '" + topic + "'");
		int partitionCount = this.kafka.await(created.numPartitions(topic), "create topic '" + topic + "'");
		int replicas = this.kafka.await(created.replicationFactor(topic), "create topic '" + topic + "'");
		this.console.out()
			.printf("Created topic %s: %d partitions, replication factor %d%n", topic, partitionCount, replicas);
		return 0;
	}

	private static String nodeId(@Nullable Node node) {
		return (node != null && !node.isEmpty()) ? node.idString() : "none";
	}

	private static String nodeIds(List<Node> nodes) {
		return nodes.stream().map(Node::idString).collect(Collectors.joining(","));
	}

}
