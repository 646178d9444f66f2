package io.kafkaworker.samples.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kafkaworker.admin.GroupLag;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.PartitionLag;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code groups list|describe}: the consumer groups, and where one stands on each
 * partition it committed on. Lag comes from kafka-worker's {@link KafkaOffsets}: end
 * offset minus committed offset, on every partition of the group's topics.
 */
@Command(name = "groups", mixinStandardHelpOptions = true, description = "List and describe consumer groups.")
public class GroupsCommand {

	private final KafkaClients kafka;

	private final KafkaOffsets offsets;

	private final CliConsole console;

	GroupsCommand(KafkaClients kafka, KafkaOffsets offsets, CliConsole console) {
		this.kafka = kafka;
		this.offsets = offsets;
		this.console = console;
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "Print the consumer groups and their state.")
	int list() {
		var groups = this.kafka.await(this.kafka.admin().listGroups(ListGroupsOptions.forConsumerGroups()).all(),
				"list the consumer groups");
		Table table = new Table("GROUP", "STATE");
		groups.stream()
			.sorted(Comparator.comparing(GroupListing::groupId))
			.forEach((group) -> table.row(group.groupId(), group.groupState().map(GroupState::toString).orElse(null)));
		table.print(this.console.out());
		return 0;
	}

	@Command(name = "describe", mixinStandardHelpOptions = true,
			description = "Print a consumer group's committed offset, end offset and lag on each partition of "
					+ "the topics it committed on, and its total lag.")
	int describe(@Parameters(paramLabel = "GROUP", description = "The consumer group.") String group) {
		Map<TopicPartition, OffsetAndMetadata> committed = this.kafka.await(
				this.kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
				"read the offsets of group '" + group + "'");
		ConsumerGroupDescription description = describeGroup(group);
		boolean dead = description == null || description.groupState() == GroupState.DEAD;
		if (committed.isEmpty() && dead) {
			throw new CliException("Consumer group '" + group + "' does not exist");
		}
		this.console.out()
			.printf("Group: %s  state: %s  members: %d%n", group,
					(description != null) ? description.groupState() : GroupState.UNKNOWN,
					(description != null) ? description.members().size() : 0);
		Set<String> topics = new TreeSet<>();
		committed.keySet().forEach((partition) -> topics.add(partition.topic()));
		Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
		long totalLag = 0;
		for (String topic : topics) {
			GroupLag lag = this.offsets.lag(group, topic);
			for (PartitionLag partition : lag.partitions()) {
				table.row(topic, partition.partition(), partition.committedOffset(), partition.high(), partition.lag());
			}
			totalLag += lag.totalLag();
		}
		table.print(this.console.out());
		this.console.out().printf("Total lag: %d%n", totalLag);
		return 0;
	}

	// Kafka 4 answers "no such group" with an error to the consumer group protocol's
	// describe, and with a DEAD group to the classic one's.
	private @Nullable ConsumerGroupDescription describeGroup(String group) {
		try {
			return this.kafka.await(
					this.kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group),
					"describe group '" + group + "'");
		}
		catch (CliException ex) {
			if (ex.getCause() instanceof GroupIdNotFoundException) {
				return null;
			}
			throw ex;
		}
	}

}
