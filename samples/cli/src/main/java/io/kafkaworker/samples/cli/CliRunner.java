package io.kafkaworker.samples.cli;

import java.util.Arrays;

import picocli.CommandLine;

import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * Runs the command line with picocli once the application context has started, and keeps
 * its exit code for {@code SpringApplication.exit}.
 * <p>
 * Plain picocli, not picocli's Spring Boot starter (an extra artifact for what
 * {@link SpringCommandFactory} does in a few lines): the commands are created by Spring,
 * so that their constructors receive the Kafka clients.
 */
public class CliRunner implements ApplicationRunner, ExitCodeGenerator {

	private final AutowireCapableBeanFactory beanFactory;

	private final CliConsole console;

	private final ConnectionOptions options;

	private int exitCode;

	CliRunner(AutowireCapableBeanFactory beanFactory, CliConsole console, ConnectionOptions options) {
		this.beanFactory = beanFactory;
		this.console = console;
		this.options = options;
	}

	@Override
	public void run(ApplicationArguments args) {
		CommandLine commandLine = new CommandLine(KafkaCliCommand.class, new SpringCommandFactory(this.beanFactory));
		ErrorReporter errors = new ErrorReporter(this.options);
		commandLine.setOut(this.console.out())
			.setErr(this.console.err())
			.setCaseInsensitiveEnumValuesAllowed(true)
			.setParameterExceptionHandler(errors)
			.setExecutionExceptionHandler(errors);
		this.exitCode = commandLine.execute(commandArguments(args.getSourceArgs()));
		this.console.out().flush();
		this.console.err().flush();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	// The --spring.* and --logging.* arguments are Boot's, already applied to the
	// context.
	private static String[] commandArguments(String[] args) {
		return Arrays.stream(args)
			.filter((arg) -> !arg.startsWith("--spring.") && !arg.startsWith("--logging."))
			.toArray(String[]::new);
	}

}
