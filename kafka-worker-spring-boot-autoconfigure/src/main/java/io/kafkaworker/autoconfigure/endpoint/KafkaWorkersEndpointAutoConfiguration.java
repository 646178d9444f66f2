package io.kafkaworker.autoconfigure.endpoint;

import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.runtime.WorkerRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code kafkaworkers} actuator endpoint.
 */
@AutoConfiguration(after = KafkaWorkerAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(KafkaWorkersEndpoint.class)
public final class KafkaWorkersEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WorkerRegistry.class)
	KafkaWorkersEndpoint kafkaWorkersEndpoint(WorkerRegistry registry) {
		return new KafkaWorkersEndpoint(registry);
	}

}
