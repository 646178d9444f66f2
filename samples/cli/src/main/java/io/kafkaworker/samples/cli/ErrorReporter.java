package io.kafkaworker.samples.cli;

import java.io.PrintWriter;

import io.kafkaworker.admin.KafkaOffsetsException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns what went wrong into one line on stderr and an exit code: a usage error (an
 * unknown option, a missing parameter, a value picocli cannot convert) exits with
 * {@value #USAGE_EXIT_CODE}, a command that failed with {@value CliException#EXIT_CODE}.
 * The stack trace of a failure is printed with {@code --verbose} only.
 */
class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

	/**
	 * The exit code of a usage error.
	 */
	static final int USAGE_EXIT_CODE = 1;

	private final ConnectionOptions options;

	ErrorReporter(ConnectionOptions options) {
		this.options = options;
	}

	@Override
	public int handleParseException(ParameterException ex, String[] args) {
		CommandLine command = ex.getCommandLine();
		String name = command.getCommandSpec().qualifiedName(" ");
		command.getErr().println(name + ": " + firstLine(ex.getMessage()) + " (see '" + name + " --help')");
		return USAGE_EXIT_CODE;
	}

	@Override
	public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
		PrintWriter err = command.getErr();
		err.println(command.getCommandSpec().qualifiedName(" ") + ": " + message(ex));
		if (this.options.verbose()) {
			ex.printStackTrace(err);
		}
		return CliException.EXIT_CODE;
	}

	// Our own exceptions and kafka-worker's KafkaOffsetsException say what failed in a
	// sentence; anything else is named by its class.
	private static String message(Exception ex) {
		if (ex instanceof CliException || ex instanceof KafkaOffsetsException) {
			return firstLine(ex.getMessage());
		}
		return ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage());
	}

	private static String firstLine(@Nullable String message) {
		return (message != null) ? message.lines().findFirst().orElse("") : "";
	}

}
