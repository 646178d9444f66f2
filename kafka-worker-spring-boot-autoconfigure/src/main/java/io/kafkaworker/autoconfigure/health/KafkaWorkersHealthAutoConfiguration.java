package io.kafkaworker.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.autoconfigure.KafkaWorkerProperties;
import io.kafkaworker.autoconfigure.OnTableViewsCondition;
import io.kafkaworker.health.KafkaTableViewsHealthIndicator;
import io.kafkaworker.health.KafkaWorkersHealthIndicator;
import io.kafkaworker.health.KafkaWorkersLivenessHealthIndicator;
import io.kafkaworker.health.ProbeMembershipPostProcessor;
import io.kafkaworker.health.StallCheck;
import io.kafkaworker.runtime.WorkerRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code kafkaWorkers} health contributor, added to the
 * readiness group, and of the opt-in {@code kafkaWorkersLiveness} contributor, added to
 * the liveness group.
 */
@AutoConfiguration(after = KafkaWorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(WorkerRegistry.class)
@ConditionalOnEnabledHealthIndicator("kafkaworkers")
public final class KafkaWorkersHealthAutoConfiguration {

	static final String READINESS_MEMBER = "kafkaWorkers";

	static final String LIVENESS_MEMBER = "kafkaWorkersLiveness";

	static final String VIEWS_MEMBER = "kafkaTableViews";

	@Bean
	@ConditionalOnMissingBean(name = "kafkaWorkersHealthIndicator")
	KafkaWorkersHealthIndicator kafkaWorkersHealthIndicator(WorkerRegistry workers, KafkaWorkerProperties properties) {
		KafkaWorkerProperties.Health health = properties.getHealth();
		Status frozenStatus = (health.getFrozenStatus() == KafkaWorkerProperties.Health.FrozenStatus.OUT_OF_SERVICE)
				? Status.OUT_OF_SERVICE : Status.UP;
		return new KafkaWorkersHealthIndicator(workers, health.isWaitForAssignment(), frozenStatus,
				stallCheck(properties));
	}

	@Bean
	@ConditionalOnMissingBean(name = "kafkaTableViewsHealthIndicator")
	@Conditional(OnTableViewsCondition.class)
	KafkaTableViewsHealthIndicator kafkaTableViewsHealthIndicator(ListableBeanFactory beanFactory) {
		return new KafkaTableViewsHealthIndicator(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean(name = "kafkaWorkersLivenessHealthIndicator")
	@ConditionalOnBooleanProperty("kafka.worker.health.liveness.enabled")
	KafkaWorkersLivenessHealthIndicator kafkaWorkersLivenessHealthIndicator(WorkerRegistry workers,
			KafkaWorkerProperties properties) {
		return new KafkaWorkersLivenessHealthIndicator(workers, stallCheck(properties));
	}

	private static StallCheck stallCheck(KafkaWorkerProperties properties) {
		KafkaWorkerProperties.Health health = properties.getHealth();
		return new StallCheck(health.getMaxTimeBetweenPolls(), health.getMaxProcessingTime());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SecurityContext")
	static class ProbeGroupsConfiguration {

		@Bean
		ProbeMembershipPostProcessor kafkaWorkersProbeMembership(KafkaWorkerProperties properties) {
			Map<String, String> members = new LinkedHashMap<>();
			if (properties.getHealth().isReadiness()) {
				members.put("readiness", READINESS_MEMBER);
			}
			if (properties.getHealth().getLiveness().isEnabled()) {
				members.put("liveness", LIVENESS_MEMBER);
			}
			return new ProbeMembershipPostProcessor(members);
		}

		@Bean
		@Conditional(OnTableViewsCondition.class)
		ProbeMembershipPostProcessor kafkaTableViewsProbeMembership(KafkaWorkerProperties properties) {
			return new ProbeMembershipPostProcessor(
					properties.getHealth().isReadiness() ? Map.of("readiness", VIEWS_MEMBER) : Map.of());
		}

	}

}
