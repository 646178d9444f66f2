package io.kafkaworker.admin;

/**
 * Thrown when {@link KafkaOffsets} cannot answer: the cluster refused the request, or did
 * not answer within the admin operation timeout. Its message names the topic or group.
 */
public class KafkaOffsetsException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what could not be done, naming the topic or group
	 * @param cause the cause
	 */
	public KafkaOffsetsException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create the exception.
	 * @param message what could not be done, naming the topic or group
	 */
	public KafkaOffsetsException(String message) {
		super(message);
	}

}
