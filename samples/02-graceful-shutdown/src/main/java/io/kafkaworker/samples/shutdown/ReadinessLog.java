package io.kafkaworker.samples.shutdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs each change of the readiness probe, {@code /actuator/health/readiness}, with its
 * members: Spring Boot's {@code readinessState} (UP once the application has started) and
 * kafka-worker's {@code kafkaWorkers} (UP once every worker has joined its group and
 * received its partitions), and what happens when the application is asked to stop.
 * Kubernetes sends traffic to a pod only while it is ready.
 */
@Component
class ReadinessLog {

	private static final Log logger = LogFactory.getLog(ReadinessLog.class);

	private final HealthEndpoint health;

	private final long startNanos = System.nanoTime();

	// Only the scheduler's thread uses it.
	private @Nullable Status last;

	ReadinessLog(HealthEndpoint health) {
		this.health = health;
	}

	@Scheduled(fixedDelay = 200, timeUnit = TimeUnit.MILLISECONDS)
	void check() {
		HealthDescriptor readiness = this.health.healthForPath("readiness");
		if (readiness == null || readiness.getStatus().equals(this.last)) {
			return;
		}
		this.last = readiness.getStatus();
		logger
			.info(String.format("Readiness is %s, %,d ms after startup began (%s); see GET /actuator/health/readiness",
					readiness.getStatus(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startNanos),
					members(readiness)));
	}

	@EventListener(ContextClosedEvent.class)
	void closing() {
		logger.info("Shutting down: readiness turns DOWN, and the worker stops fetching, lets the call in flight "
				+ "finish, commits what it handled and leaves its group (see its 'shut down in' line below)");
	}

	private static String members(HealthDescriptor readiness) {
		if (!(readiness instanceof CompositeHealthDescriptor composite)) {
			return "no members shown";
		}
		List<String> members = new ArrayList<>();
		for (Map.Entry<String, HealthDescriptor> member : composite.getComponents().entrySet()) {
			String description = member.getKey() + " " + member.getValue().getStatus();
			if (member.getValue() instanceof IndicatedHealthDescriptor indicated
					&& indicated.getDetails().get("reason") != null) {
				description += ": " + indicated.getDetails().get("reason");
			}
			members.add(description);
		}
		return String.join(", ", members);
	}

}
