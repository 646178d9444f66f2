package io.kafkaworker.samples.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, anywhere on the command line: where Kafka is, how long
 * to wait for it, and whether errors show their stack trace. A mixin of the root command,
 * inherited by every subcommand.
 * <p>
 * Spring Boot's Kafka beans are configured when the application context starts, before
 * picocli runs the command, so {@link #parse(String...)} reads these options first and
 * {@link #springArguments(String[])} hands them to Boot as the properties they stand for.
 */
@Command
public class ConnectionOptions {

	/**
	 * The longest wait for Kafka or the actuator unless {@code --timeout} says otherwise.
	 */
	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	@Option(names = { "-b", "--bootstrap-servers" }, paramLabel = "HOST:PORT[,HOST:PORT...]", scope = ScopeType.INHERIT,
			description = "The Kafka brokers: spring.kafka.bootstrap-servers (default: localhost:9092). "
					+ "Any other spring.kafka.* property is given as --spring.kafka.<name>=<value>.")
	private @Nullable String bootstrapServers;

	@Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
			converter = DurationConverter.class, defaultValue = "5s",
			description = "How long to wait for an answer from Kafka or the actuator, for example 500ms, 5s, 1m "
					+ "(default: ${DEFAULT-VALUE}).")
	private Duration timeout = DEFAULT_TIMEOUT;

	@Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
	private boolean verbose;

	/**
	 * Read these options from a command line, ignoring everything else on it. A value
	 * picocli cannot convert is left at its default: the command's own parsing reports it
	 * as a usage error before anything connects.
	 * @param args the command line
	 * @return the options
	 */
	public static ConnectionOptions parse(String... args) {
		ConnectionOptions options = new ConnectionOptions();
		CommandLine parser = new CommandLine(options);
		// The commands' own options and parameters are not this parser's business.
		parser.setUnmatchedArgumentsAllowed(true);
		parser.setUnmatchedOptionsArePositionalParams(true);
		try {
			parser.parseArgs(args);
		}
		catch (ParameterException ex) {
			// Reported by the real parse, as a usage error.
		}
		return options;
	}

	/**
	 * Return the arguments for Spring Boot: the command line, plus the properties the
	 * options stand for. {@code --spring.kafka.admin.operation-timeout} is whole seconds
	 * for Spring Kafka's {@code KafkaAdmin}, so a timeout under a second waits one second
	 * for the admin operations.
	 * @param args the command line
	 * @return the arguments for {@code SpringApplication.run}
	 */
	public List<String> springArguments(String[] args) {
		List<String> springArgs = new ArrayList<>(Arrays.asList(args));
		if (this.bootstrapServers != null) {
			springArgs.add("--spring.kafka.bootstrap-servers=" + this.bootstrapServers);
		}
		long seconds = Math.max(1, (this.timeout.toMillis() + 999) / 1000);
		springArgs.add("--spring.kafka.admin.operation-timeout=" + seconds + "s");
		return springArgs;
	}

	/**
	 * Return the brokers given with {@code --bootstrap-servers}.
	 * @return the brokers, or null to use {@code spring.kafka.bootstrap-servers}
	 */
	public @Nullable String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Return how long to wait for Kafka or the actuator.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return whether errors show their stack trace.
	 * @return whether {@code --verbose} was given
	 */
	public boolean verbose() {
		return this.verbose;
	}

}
