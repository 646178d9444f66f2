package io.kafkaworker.samples.support;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What a sample imports besides its worker: the {@code demo.*} workload, the
 * {@link DemoStore} its worker writes to, the {@link DemoSeeder} that produces its demo
 * records and the {@link WorkerProgressLog}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoWorkload.class)
@Import(WorkerProgressLog.class)
public class DemoConfiguration {

	@Bean
	DemoStore demoStore(DemoWorkload workload) {
		return new DemoStore(workload.workMs());
	}

	@Bean
	DemoSeeder demoSeeder(KafkaTemplate<String, String> kafkaTemplate, KafkaAdmin kafkaAdmin) {
		return new DemoSeeder(kafkaTemplate, kafkaAdmin);
	}

}
