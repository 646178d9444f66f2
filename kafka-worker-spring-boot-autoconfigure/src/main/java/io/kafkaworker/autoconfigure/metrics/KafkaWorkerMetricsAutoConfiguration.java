package io.kafkaworker.autoconfigure.metrics;

import java.util.Map;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.metrics.KafkaWorkerMetrics;
import io.kafkaworker.metrics.TableViewMetrics;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.state.TableView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;
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

	// Every TableView bean (the views of kafka.worker.views are registered after bean
	// conditions are evaluated, so this binder is always there and finds them when it
	// binds).
	@Bean
	MeterBinder kafkaWorkerTableViewMetrics(ListableBeanFactory beanFactory) {
		return (registry) -> {
			@SuppressWarnings("unchecked")
			Map<String, TableView<?, ?>> views = (Map<String, TableView<?, ?>>) (Map<String, ?>) beanFactory
				.getBeansOfType(TableView.class);
			new TableViewMetrics(views).bindTo(registry);
		};
	}

}
