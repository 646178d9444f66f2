package io.kafkaworker.autoconfigure.endpoint;

import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint;
import io.kafkaworker.actuate.endpoint.KafkaTableViewsEndpoint;
import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.autoconfigure.OnTableViewsCondition;
import io.kafkaworker.runtime.WorkerRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of the {@code kafkaworkers} actuator endpoint, of the
 * {@code kafkaviews} endpoint when table views are configured, and of the read-only
 * {@code kafkaoffsets} endpoint when there is a {@link KafkaOffsets} bean.
 */
@AutoConfiguration(after = KafkaWorkerAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public final class KafkaWorkersEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WorkerRegistry.class)
	@ConditionalOnAvailableEndpoint(KafkaWorkersEndpoint.class)
	KafkaWorkersEndpoint kafkaWorkersEndpoint(WorkerRegistry registry) {
		return new KafkaWorkersEndpoint(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WorkerRegistry.class)
	@ConditionalOnAvailableEndpoint(KafkaTableViewsEndpoint.class)
	@Conditional(OnTableViewsCondition.class)
	KafkaTableViewsEndpoint kafkaTableViewsEndpoint(ListableBeanFactory beanFactory) {
		return new KafkaTableViewsEndpoint(beanFactory, ApplicationConversionService.getSharedInstance());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(KafkaOffsets.class)
	@ConditionalOnAvailableEndpoint(KafkaOffsetsEndpoint.class)
	KafkaOffsetsEndpoint kafkaOffsetsEndpoint(KafkaOffsets offsets) {
		return new KafkaOffsetsEndpoint(offsets);
	}

}
