package io.kafkaworker.integration;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * The application's {@link KafkaAdmin}, holding the first look-up of a dead-letter topic
 * (which a worker makes just before it publishes its first dead letter) until the test
 * releases it, so that something else can happen while a dead letter is being sent. The
 * look-up itself then goes to the broker as usual. Records whose value starts with
 * {@code failAtDeadLetter:} fail once, while the dead letter is held
 * ({@link TransactionalWorkerApplication}).
 */
final class DeadLetterGate extends KafkaAdmin implements AutoCloseable {

	private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

	private final CountDownLatch reached = new CountDownLatch(1);

	private final CountDownLatch released = new CountDownLatch(1);

	private final AtomicBoolean held = new AtomicBoolean();

	private final AtomicBoolean failed = new AtomicBoolean();

	DeadLetterGate(String bootstrapServers) {
		super(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
	}

	@Override
	public Map<String, TopicDescription> describeTopics(String... topicNames) {
		if (Arrays.stream(topicNames).anyMatch((name) -> name.endsWith("-dlt"))
				&& this.held.compareAndSet(false, true)) {
			this.reached.countDown();
			await(this.released);
		}
		return super.describeTopics(topicNames);
	}

	/**
	 * Wait (bounded) until a dead letter is held.
	 */
	void awaitHeld() {
		await(this.reached);
	}

	/**
	 * Return whether a dead letter is held or was.
	 * @return true once one reached the gate
	 */
	boolean reached() {
		return this.reached.getCount() == 0;
	}

	/**
	 * Return true the first time it is asked after a dead letter reached the gate: the
	 * caller then fails its record.
	 * @return whether to fail now
	 */
	boolean failOnce() {
		return reached() && this.failed.compareAndSet(false, true);
	}

	/**
	 * Return whether a record failed at the gate.
	 * @return true once one did
	 */
	boolean failed() {
		return this.failed.get();
	}

	/**
	 * Let the held dead letter go on.
	 */
	void release() {
		this.released.countDown();
	}

	@Override
	public void close() {
		release();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
