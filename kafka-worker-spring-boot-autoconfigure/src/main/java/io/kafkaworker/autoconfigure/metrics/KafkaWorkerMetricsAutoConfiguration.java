package io.kafkaworker.autoconfigure.metrics;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.metrics.KafkaWorkerMetrics;
import io.kafkaworker.runtime.WorkerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the workers' Micrometer meters. Kafka's own client metrics come
 * from Spring Boot's {@code KafkaMetricsAutoConfiguration}, since workers create their
 * consumers through Boot's consumer factory.
 */
@AutoConfiguration(after = KafkaWorkerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, WorkerRegistry.class })
public final class KafkaWorkerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KafkaWorkerMetrics kafkaWorkerMetrics(WorkerRegistry workers) {
		return new KafkaWorkerMetrics(workers);
	}

}
