package io.kafkaworker.samples.cli;

/**
 * A command that could not do its job: Kafka or the actuator unreachable, or a topic,
 * group or worker that does not exist. Its message is the one line kafka-cli prints; the
 * exit code is {@value #EXIT_CODE}.
 */
public class CliException extends RuntimeException {

	/**
	 * The exit code of a command that failed this way.
	 */
	public static final int EXIT_CODE = 2;

	/**
	 * Create an exception.
	 * @param message what failed, in one line
	 */
	public CliException(String message) {
		super(message);
	}

	/**
	 * Create an exception.
	 * @param message what failed, in one line
	 * @param cause the cause, printed with {@code --verbose}
	 */
	public CliException(String message, Throwable cause) {
		super(message, cause);
	}

}
