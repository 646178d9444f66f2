package io.kafkaworker.intercept;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The built-in access log ({@code kafka.worker.access-log.enabled=true}): one INFO line
 * per handler attempt on the logger {@value #LOGGER}, with the worker, the records'
 * coordinates, the key of a single record, the attempt, the outcome and the time it took,
 * for example {@code worker=orders record=orders-2@1045 key=customer-7 attempt=1 took=3ms
 * outcome=ok}. Route or silence it with {@code logging.level.io.kafkaworker.access}.
 */
public class AccessLogInterceptor implements WorkerInterceptor {

	/**
	 * The logger's name.
	 */
	public static final String LOGGER = "io.kafkaworker.access";

	private static final Log logger = LogFactory.getLog(LOGGER);

	private final Set<String> workers;

	/**
	 * Create the access log.
	 * @param workers the workers to log, or empty for all
	 */
	public AccessLogInterceptor(Set<String> workers) {
		this.workers = Set.copyOf(workers);
	}

	@Override
	public boolean appliesTo(String workerId) {
		return this.workers.isEmpty() || this.workers.contains(workerId);
	}

	@Override
	public void after(WorkerCall call, Duration took) {
		if (logger.isInfoEnabled()) {
			logger.info(line(call, took) + " outcome=ok");
		}
	}

	@Override
	public void failed(WorkerCall call, Throwable failure, Duration took) {
		if (logger.isInfoEnabled()) {
			logger.info(line(call, took) + " outcome=failed error=" + failure);
		}
	}

	private static String line(WorkerCall call, Duration took) {
		List<ConsumerRecord<?, ?>> records = call.records();
		ConsumerRecord<?, ?> first = records.get(0);
		StringBuilder line = new StringBuilder("worker=").append(call.workerId());
		if (records.size() == 1) {
			line.append(" record=")
				.append(first.topic())
				.append('-')
				.append(first.partition())
				.append('@')
				.append(first.offset())
				.append(" key=")
				.append(first.key());
		}
		else {
			ConsumerRecord<?, ?> last = records.get(records.size() - 1);
			line.append(" records=")
				.append(records.size())
				.append(" from=")
				.append(first.topic())
				.append('-')
				.append(first.partition())
				.append('@')
				.append(first.offset())
				.append(" to=")
				.append(last.topic())
				.append('-')
				.append(last.partition())
				.append('@')
				.append(last.offset());
		}
		return line.append(" attempt=")
			.append(call.attempt())
			.append(" took=")
			.append(took.toMillis())
			.append("ms")
			.toString();
	}

}
