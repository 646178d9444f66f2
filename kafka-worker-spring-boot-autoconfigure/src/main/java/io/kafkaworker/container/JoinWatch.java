package io.kafkaworker.container;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * Warns while a consumer has not joined its group, with a back-off: the first warning
 * after {@value #FIRST_WARNING_SECONDS}s, then at doubling intervals up to five minutes.
 * Kafka's client logs a connection failure on every retry, deep in its own terms; this
 * says in one line which worker waits, for what, and that it keeps trying.
 */
final class JoinWatch {

	private static final Log logger = LogFactory.getLog(JoinWatch.class);

	static final long FIRST_WARNING_SECONDS = 10;

	private static final Duration LONGEST_INTERVAL = Duration.ofMinutes(5);

	private final String workerId;

	private final String groupId;

	private final String brokers;

	private final LongSupplier nanoClock;

	private final long startedNanos;

	private long nextWarningNanos;

	private Duration interval = Duration.ofSeconds(FIRST_WARNING_SECONDS);

	JoinWatch(String workerId, String groupId, String brokers, LongSupplier nanoClock) {
		this.workerId = workerId;
		this.groupId = groupId;
		this.brokers = brokers;
		this.nanoClock = nanoClock;
		this.startedNanos = nanoClock.getAsLong();
		this.nextWarningNanos = this.startedNanos + this.interval.toNanos();
	}

	/**
	 * Return how long the consumer has waited if a warning is due now, and schedule the
	 * next one.
	 * @return the wait so far, or null when no warning is due
	 */
	@Nullable Duration warningDue() {
		long now = this.nanoClock.getAsLong();
		if (now - this.nextWarningNanos < 0) {
			return null;
		}
		this.interval = min(this.interval.multipliedBy(2), LONGEST_INTERVAL);
		this.nextWarningNanos = now + this.interval.toNanos();
		return Duration.ofSeconds(Duration.ofNanos(now - this.startedNanos).toSeconds());
	}

	/**
	 * Warn if the consumer still has no assignment and a warning is due. Runs on the
	 * consumer thread before each poll until the first assignment.
	 * @param consumer the consumer
	 */
	void beforePoll(Consumer<?, ?> consumer) {
		Duration waited = warningDue();
		if (waited == null) {
			return;
		}
		String cause = connected(consumer)
				? "it reaches the cluster at " + this.brokers
						+ " but has no assignment yet (is the group coordinator available? do the topics exist?)"
				: "it cannot reach any broker at " + this.brokers;
		logger.warn("Worker '" + this.workerId + "' has waited " + waited.toSeconds() + "s to join consumer group '"
				+ this.groupId + "': " + cause + ". It keeps trying; next warning in " + this.interval.toSeconds()
				+ "s.");
	}

	// The consumer's own connection-count metric: 0 while no broker answers.
	private static boolean connected(Consumer<?, ?> consumer) {
		try {
			for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
				if (metric.getKey().name().equals("connection-count")
						&& metric.getKey().group().equals("consumer-metrics")
						&& metric.getValue().metricValue() instanceof Double count) {
					return count > 0;
				}
			}
		}
		catch (RuntimeException ex) {
			// metrics are informative only
		}
		return false;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
