package io.kafkaworker.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while a running worker is stuck: a consumer thread that stopped polling, or a
 * handler call that runs past its limit. Opt-in, since Kubernetes restarts a pod whose
 * liveness fails.
 */
public class KafkaWorkersLivenessHealthIndicator extends AbstractHealthIndicator {

	private final WorkerRegistry workers;

	private final StallCheck stallCheck;

	/**
	 * Create the indicator.
	 * @param workers the workers
	 * @param stallCheck what counts as a stuck worker
	 */
	public KafkaWorkersLivenessHealthIndicator(WorkerRegistry workers, StallCheck stallCheck) {
		super("Kafka workers liveness check failed");
		this.workers = workers;
		this.stallCheck = stallCheck;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, String> stalled = new LinkedHashMap<>();
		for (WorkerSnapshot worker : this.workers.snapshots()) {
			String reason = this.stallCheck.stalled(worker);
			if (reason != null) {
				stalled.put(worker.id(), reason);
			}
		}
		if (stalled.isEmpty()) {
			builder.up();
		}
		else {
			builder.down().withDetail("stalled", stalled);
		}
	}

}
