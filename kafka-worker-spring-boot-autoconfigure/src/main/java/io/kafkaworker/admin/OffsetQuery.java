package io.kafkaworker.admin;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.AbstractOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * One question {@link KafkaOffsets} asks the cluster about a topic, made of one or more
 * admin requests that share a single deadline: the whole question, not each request,
 * answers within the timeout. Turns the admin's failures into exceptions that name the
 * topic.
 */
final class OffsetQuery {

	private final Admin admin;

	private final String topic;

	private final Duration timeout;

	private final long deadline;

	OffsetQuery(Admin admin, String topic, Duration timeout) {
		this.admin = admin;
		this.topic = topic;
		this.timeout = timeout;
		this.deadline = System.nanoTime() + timeout.toNanos();
	}

	Admin admin() {
		return this.admin;
	}

	String topic() {
		return this.topic;
	}

	// Bounds a request by what is left of the deadline, so that the admin client gives up
	// when the query does.
	<O extends AbstractOptions<O>> O bounded(O options) {
		return options.timeoutMs((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos())));
	}

	/**
	 * Wait for an answer until the deadline.
	 * @param <T> the answer's type
	 * @param future the answer
	 * @param what what is asked, to complete "Could not ..." (naming the topic or group)
	 * @return the answer
	 * @throws UnknownTopicException if the topic does not exist
	 * @throws KafkaOffsetsException if the request failed or the deadline passed
	 */
	<T> T await(KafkaFuture<T> future, String what) {
		try {
			return future.get(remainingNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaOffsetsException("Interrupted while waiting to " + what, ex);
		}
		catch (TimeoutException ex) {
			throw timedOut(what, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof UnknownTopicOrPartitionException) {
				throw new UnknownTopicException(this.topic, cause);
			}
			if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
				throw timedOut(what, cause);
			}
			throw new KafkaOffsetsException("Could not " + what + ": " + cause, cause);
		}
	}

	private KafkaOffsetsException timedOut(String what, Throwable cause) {
		return new KafkaOffsetsException(
				"Could not " + what + " within " + this.timeout + " (spring.kafka.admin.operation-timeout)", cause);
	}

	private long remainingNanos() {
		return Math.max(0, this.deadline - System.nanoTime());
	}

}
