package io.kafkaworker.samples.quickstart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The worker: for every order on {@code demo.orders}, some slow I/O, then one record on
 * {@code demo.orders.processed} with the same key.
 *
 * <p>
 * With {@link Mode#KEY}, records of different keys run in parallel, up to the worker's
 * concurrency ({@code kafka.worker.workers.orders.concurrency}, 256 in
 * {@code application.yml}), whatever the number of partitions; records of one key run one
 * at a time, in offset order. A plain {@code @KafkaListener} would run one record at a
 * time per partition: 6 in flight here, and at 10 ms per record at most 600 records/s.
 *
 * <p>
 * To show failure handling, two kinds of values fail:
 * <ul>
 * <li>{@code fail:<anything>} fails every attempt: after its retries the record freezes
 * its partition (the default {@code on-failure: FREEZE}) until an operator skips it with
 * the {@code kafkaworkers} actuator endpoint;</li>
 * <li>{@code fail-<n>:<anything>} fails its first {@code n} attempts, then succeeds, like
 * a call to a service that comes back. With 3 attempts per record, {@code fail-3:}
 * freezes and succeeds when an operator resumes it; {@code fail-2:} succeeds on its last
 * retry. Attempts are counted in memory, so a restart counts from zero again.</li>
 * </ul>
 */
@Component
public class OrderWorker {

	/**
	 * Values that start with this fail every attempt.
	 */
	static final String FAIL_PREFIX = "fail:";

	// fail-<n>:... fails its first n attempts.
	private static final Pattern FAIL_TIMES = Pattern.compile("fail-(\\d{1,9}):.*", Pattern.DOTALL);

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final ProgressReporter progress;

	private final long workMs;

	// Failed attempts of fail-<n>: records by topic-partition@offset, until they succeed.
	private final Map<String, Integer> failedAttempts = new ConcurrentHashMap<>();

	OrderWorker(KafkaTemplate<String, String> kafkaTemplate, ProgressReporter progress, DemoProperties properties) {
		this.kafkaTemplate = kafkaTemplate;
		this.progress = progress;
		this.workMs = properties.workMs();
	}

	/**
	 * Process one order. Called on one of the worker's threads, never for two records of
	 * the same key at once. Returning marks the record done; its offset is committed once
	 * every earlier record of its partition is done too (at-least-once delivery).
	 * Throwing makes the worker retry the record in place, then apply its
	 * {@code on-failure} policy.
	 * @param order the record
	 * @throws InterruptedException if the worker stops during the call; the record is not
	 * committed and is processed again on the next start
	 * @throws ExecutionException if the output record cannot be written
	 * @throws IllegalStateException for a {@code fail:} value, and for the first
	 * {@code n} attempts of a {@code fail-<n>:} value
	 */
	@KafkaBatchWorker(id = "orders", topics = QuickstartApplication.ORDERS_TOPIC, mode = Mode.KEY)
	public void process(ConsumerRecord<String, String> order) throws InterruptedException, ExecutionException {
		this.progress.recordStarted();
		// Stands for a call to a database or a remote service.
		Thread.sleep(this.workMs);
		failIfAsked(order);
		String result = order.partition() + ":" + order.offset() + ":" + order.value();
		// Wait for the broker to acknowledge the output before returning: once this
		// method returns, the input's offset may be committed, and an output still in the
		// producer's buffer would be lost if the process died.
		this.kafkaTemplate.send(QuickstartApplication.PROCESSED_TOPIC, order.key(), result).get();
		this.progress.recordProcessed();
	}

	private void failIfAsked(ConsumerRecord<String, String> order) {
		String value = order.value();
		if (value == null) {
			return;
		}
		if (value.startsWith(FAIL_PREFIX)) {
			throw new IllegalStateException("Cannot process order '" + value + "' of key " + order.key()
					+ ": the quickstart fails every value that starts with '" + FAIL_PREFIX + "'");
		}
		Matcher failTimes = FAIL_TIMES.matcher(value);
		if (failTimes.matches()) {
			int failures = Integer.parseInt(failTimes.group(1));
			String position = order.topic() + "-" + order.partition() + "@" + order.offset();
			int attempt = this.failedAttempts.merge(position, 1, Integer::sum);
			if (attempt <= failures) {
				throw new IllegalStateException(
						"Cannot process order '" + value + "' of key " + order.key() + " yet: attempt " + attempt
								+ " fails, as 'fail-" + failures + ":' asks for its first " + failures + " attempts");
			}
			this.failedAttempts.remove(position);
		}
	}

}
