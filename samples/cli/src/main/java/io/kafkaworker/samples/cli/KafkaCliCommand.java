package io.kafkaworker.samples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code kafka-cli} command: its subcommands do the work.
 */
@Command(name = "kafka-cli", mixinStandardHelpOptions = true, version = "kafka-cli (kafka-worker 0.1.0-SNAPSHOT)",
		description = "Lists, describes and creates topics, describes consumer groups, consumes and produces "
				+ "records, and acts on a running application's kafka-worker workers.",
		subcommands = { TopicsCommand.class, GroupsCommand.class, ConsumeCommand.class, ProduceCommand.class,
				WorkersCommand.class },
		footer = { "", "Exit codes: 0 done, 1 usage error, 2 failure (Kafka or the actuator unreachable, "
				+ "or no such topic, group or worker)." })
public class KafkaCliCommand implements Runnable {

	// Created by SpringCommandFactory: the ConnectionOptions bean the context was started
	// with, which picocli fills again with the same values.
	@Mixin
	private ConnectionOptions connection;

	@Spec
	private CommandSpec spec;

	@Override
	public void run() {
		throw new ParameterException(this.spec.commandLine(), "Missing command");
	}

}
