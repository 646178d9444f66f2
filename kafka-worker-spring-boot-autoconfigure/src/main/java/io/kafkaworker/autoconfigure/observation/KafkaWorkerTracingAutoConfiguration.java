package io.kafkaworker.autoconfigure.observation;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.observation.BatchLinksTracingObservationHandler;
import io.micrometer.tracing.Tracer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the span of lane-batch calls, linked to each record's trace.
 * Single-record calls need nothing here: Spring Boot's receiver tracing handler continues
 * each record's trace.
 */
@AutoConfiguration(after = KafkaWorkerAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean(Tracer.class)
@ConditionalOnBooleanProperty("kafka.worker.observation.enabled")
public final class KafkaWorkerTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Order(BatchLinksTracingObservationHandler.ORDER)
	BatchLinksTracingObservationHandler kafkaWorkerBatchLinksTracingObservationHandler(Tracer tracer) {
		return new BatchLinksTracingObservationHandler(tracer);
	}

}
