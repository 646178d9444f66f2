package io.kafkaworker.samples.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs kafka-cli in-process as {@code java -jar kafka-cli.jar} does, one application
 * context per command, with captured standard streams.
 */
final class Cli {

	private final String bootstrapServers;

	Cli(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Run a command against the test broker.
	 * @param args the command line, without {@code --bootstrap-servers}
	 * @return what it printed and its exit code
	 */
	Result run(String... args) {
		return runWithInput("", args);
	}

	/**
	 * Run a command against the test broker, with standard input.
	 * @param input the standard input
	 * @param args the command line, without {@code --bootstrap-servers}
	 * @return what it printed and its exit code
	 */
	Result runWithInput(String input, String... args) {
		List<String> withBroker = new ArrayList<>(List.of("--bootstrap-servers", this.bootstrapServers));
		withBroker.addAll(List.of(args));
		return runAsIs(input, withBroker.toArray(String[]::new));
	}

	/**
	 * Run a command line as given.
	 * @param input the standard input
	 * @param args the whole command line
	 * @return what it printed and its exit code
	 */
	static Result runAsIs(String input, String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = KafkaCliApplication
			.run(new CliConsole(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
					new PrintWriter(out, true), new PrintWriter(err, true)), args);
		return new Result(exitCode, out.toString(), err.toString());
	}

	/**
	 * What a command did.
	 *
	 * @param exitCode its exit code
	 * @param out its standard output
	 * @param err its standard error
	 */
	record Result(int exitCode, String out, String err) {

		List<String> lines() {
			return this.out.lines().toList();
		}

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n--- out\n" + this.out + "--- err\n" + this.err;
		}

	}

}
