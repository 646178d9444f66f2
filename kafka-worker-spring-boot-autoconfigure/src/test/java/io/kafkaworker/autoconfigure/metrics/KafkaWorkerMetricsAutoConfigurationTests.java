package io.kafkaworker.autoconfigure.metrics;

import java.time.Duration;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.metrics.KafkaWorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerMetricsAutoConfiguration}.
 */
class KafkaWorkerMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class,
				KafkaWorkerMetricsAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1");

	@Test
	void metricsWhenAMeterRegistryIsPresentShouldBeBound() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(KafkaWorkerMetrics.class));
	}

	@Test
	void recordDurationWhenNoHistogramIsConfiguredShouldPublishNoBuckets() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.run((context) -> assertThat(scrapeAfterOneCall(context))
				.contains("kafka_worker_record_duration_seconds_count{")
				.doesNotContain("kafka_worker_record_duration_seconds_bucket"));
	}

	@Test
	void recordDurationWhenSpringBootsPercentilesHistogramIsEnabledShouldPublishBuckets() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.withPropertyValues(
					"management.metrics.distribution.percentiles-histogram.kafka.worker.record.duration=true")
			.run((context) -> assertThat(scrapeAfterOneCall(context))
				.contains("kafka_worker_record_duration_seconds_bucket{"));
	}

	@Test
	void metricsWithoutAMeterRegistryShouldBackOff() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaWorkerMetrics.class));
	}

	@Test
	void metricsWithoutMicrometerShouldBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaWorkerMetrics.class));
	}

	@Test
	void metricsWhenWorkersAreDisabledShouldBackOff() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("kafka.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaWorkerMetrics.class));
	}

	private static String scrapeAfterOneCall(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		context.getBean(KafkaWorkerMetrics.class).handlerCalled("orders", "orders", 1, Duration.ofMillis(3), true);
		return context.getBean(PrometheusMeterRegistry.class).scrape();
	}

}
