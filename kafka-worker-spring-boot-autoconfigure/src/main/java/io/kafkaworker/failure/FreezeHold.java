package io.kafkaworker.failure;

/**
 * How the records of a freeze wait and how they are let go: one implementation per path
 * that registers freezes in the {@link FreezeRegistry} (a halted lane, or a partition
 * that a transactional unit stops at).
 */
public interface FreezeHold {

	/**
	 * Let the frozen records run again.
	 */
	void release();

	/**
	 * Complete the frozen records without handling them, after publishing them to the
	 * dead-letter topic if asked.
	 * @param toDeadLetter whether to publish them to the dead-letter topic
	 * @return false if the records are no longer where the freeze left them
	 * @throws RuntimeException if a dead letter could not be published; the freeze stays
	 */
	boolean skip(boolean toDeadLetter);

}
