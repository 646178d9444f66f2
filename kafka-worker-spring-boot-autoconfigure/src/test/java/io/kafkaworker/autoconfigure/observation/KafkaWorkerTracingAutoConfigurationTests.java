package io.kafkaworker.autoconfigure.observation;

import io.kafkaworker.observation.BatchLinksTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaWorkerTracingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaWorkerTracingAutoConfiguration.class));

	@Test
	void linksLaneBatchSpansWhenObservationIsOnAndATracerIsAvailable() {
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withPropertyValues("kafka.worker.observation.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(BatchLinksTracingObservationHandler.class));
	}

	@Test
	void backsOffWithoutATracer() {
		this.runner.withPropertyValues("kafka.worker.observation.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(BatchLinksTracingObservationHandler.class));
	}

	@Test
	void backsOffByDefault() {
		this.runner.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).doesNotHaveBean(BatchLinksTracingObservationHandler.class));
	}

}
