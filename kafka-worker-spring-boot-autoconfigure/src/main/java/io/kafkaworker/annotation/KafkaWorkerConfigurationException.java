package io.kafkaworker.annotation;

/**
 * A worker is declared or configured in a way that cannot work. The message names the
 * method, annotation attribute or property at fault; the action says how to fix it.
 */
public class KafkaWorkerConfigurationException extends RuntimeException {

	private final String action;

	/**
	 * Create an exception.
	 * @param message what is wrong, naming the method or property
	 * @param action how to fix it
	 */
	public KafkaWorkerConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	/**
	 * Create an exception with a cause.
	 * @param message what is wrong, naming the method or property
	 * @param action how to fix it
	 * @param cause the underlying failure
	 */
	public KafkaWorkerConfigurationException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/**
	 * Return how to fix the problem.
	 * @return the suggested action
	 */
	public String getAction() {
		return this.action;
	}

}
