package io.kafkaworker.admin;

/**
 * Thrown when {@link KafkaOffsets} is asked about a consumer group the cluster does not
 * know: one that has no committed offset and that the group coordinator does not describe
 * as existing.
 */
public class UnknownGroupException extends KafkaOffsetsException {

	private final String group;

	/**
	 * Create the exception.
	 * @param group the consumer group
	 */
	public UnknownGroupException(String group) {
		super("Consumer group '" + group + "' does not exist");
		this.group = group;
	}

	/**
	 * Return the consumer group that does not exist.
	 * @return the group
	 */
	public String getGroup() {
		return this.group;
	}

}
