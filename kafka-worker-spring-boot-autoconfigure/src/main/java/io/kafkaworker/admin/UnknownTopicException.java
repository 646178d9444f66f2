package io.kafkaworker.admin;

/**
 * Thrown when {@link KafkaOffsets} is asked about a topic the cluster does not have.
 */
public class UnknownTopicException extends KafkaOffsetsException {

	private final String topic;

	/**
	 * Create the exception.
	 * @param topic the topic
	 * @param cause what the cluster answered
	 */
	public UnknownTopicException(String topic, Throwable cause) {
		super("Topic '" + topic + "' does not exist", cause);
		this.topic = topic;
	}

	/**
	 * Return the topic that does not exist.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

}
