package io.kafkaworker.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.ReaderSnapshot;
import io.kafkaworker.runtime.TableSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Whether the workers can do their job, for readiness. The status is the first that
 * applies:
 * <ol>
 * <li>DOWN once the application context is closing;</li>
 * <li>DOWN while an auto-started worker is stopped (on-failure STOP) or, unless the wait
 * is switched off, has not yet joined its group and received its first assignment;</li>
 * <li>the configured frozen status (UP by default) while a record is frozen;</li>
 * <li>UP.</li>
 * </ol>
 * The details show every worker's state, assignment, frozen records and, if it is stuck,
 * why. A stuck worker does not change this status: liveness reports it, when enabled.
 */
public class KafkaWorkersHealthIndicator extends AbstractHealthIndicator
		implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

	private final WorkerRegistry workers;

	private final boolean waitForAssignment;

	private final Status frozenStatus;

	private final StallCheck stallCheck;

	private @Nullable ApplicationContext context;

	private volatile boolean closing;

	/**
	 * Create the indicator.
	 * @param workers the workers
	 * @param waitForAssignment whether readiness waits for every auto-started worker's
	 * first assignment
	 * @param frozenStatus the status while a record is frozen
	 * @param stallCheck what counts as a stuck worker, for the details
	 */
	public KafkaWorkersHealthIndicator(WorkerRegistry workers, boolean waitForAssignment, Status frozenStatus,
			StallCheck stallCheck) {
		super("Kafka workers health check failed");
		this.workers = workers;
		this.waitForAssignment = waitForAssignment;
		this.frozenStatus = frozenStatus;
		this.stallCheck = stallCheck;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// A child context (a separate management server) closing is not the application
		// closing.
		if (event.getApplicationContext() == this.context) {
			this.closing = true;
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<String> notReady = new ArrayList<>();
		boolean frozen = false;
		Map<String, Object> details = new LinkedHashMap<>();
		for (WorkerSnapshot worker : this.workers.snapshots()) {
			String waitingFor = waitingFor(worker);
			if (waitingFor != null) {
				notReady.add("worker '" + worker.id() + "' " + waitingFor);
			}
			frozen |= !worker.frozenRecords().isEmpty();
			details.put(worker.id(), details(worker));
		}
		if (this.closing) {
			builder.down().withDetail("reason", "The application is shutting down");
		}
		else if (!notReady.isEmpty()) {
			builder.down().withDetail("reason", String.join("; ", notReady));
		}
		else if (frozen) {
			builder.status(this.frozenStatus).withDetail("reason", "Records are frozen after failures");
		}
		else {
			builder.up();
		}
		builder.withDetail("workers", details);
	}

	private @Nullable String waitingFor(WorkerSnapshot worker) {
		if (!worker.autoStartup()) {
			return null;
		}
		if (worker.state() == WorkerSnapshot.State.STOPPED) {
			return "is stopped";
		}
		if (this.waitForAssignment && !worker.joined()) {
			return "has not joined consumer group '" + worker.groupId() + "' yet";
		}
		return null;
	}

	private Map<String, Object> details(WorkerSnapshot worker) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", worker.state().name());
		details.put("groupId", worker.groupId());
		details.put("joined", worker.joined());
		details.put("partitions", worker.partitions().size());
		ReaderSnapshot reader = worker.reader();
		if (reader != null) {
			List<String> reading = new ArrayList<>();
			for (ReaderSnapshot.ReaderPartition partition : reader.partitions()) {
				reading.add(partition.topic() + "-" + partition.partition() + " at " + partition.position()
						+ ((partition.endOffset() >= 0) ? " of " + partition.endOffset() : ""));
			}
			details.put("reader", reader.finished() ? "finished" : reading);
		}
		TableSnapshot table = worker.table();
		if (table != null && !table.restoring().isEmpty()) {
			List<String> restoring = new ArrayList<>();
			for (TableSnapshot.RestoringPartition partition : table.restoring()) {
				restoring.add(table.topic() + "-" + partition.partition() + " at " + partition.position() + " of "
						+ partition.endOffset());
			}
			details.put("restoring", restoring);
		}
		if (!worker.frozenRecords().isEmpty()) {
			List<Map<String, Object>> frozen = new ArrayList<>();
			for (FrozenRecord record : worker.frozenRecords()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("topic", record.topic());
				entry.put("partition", record.partition());
				entry.put("offset", record.offset());
				entry.put("scope", record.scope());
				entry.put("since", record.since().toString());
				entry.put("exception", record.exception());
				frozen.add(entry);
			}
			details.put("frozen", frozen);
		}
		String stalled = this.stallCheck.stalled(worker);
		if (stalled != null) {
			details.put("stalled", stalled);
		}
		return details;
	}

}
