package io.kafkaworker.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Configures and starts a {@link KafkaWorkerTester} for handler objects, without an
 * application of yours.
 */
public final class KafkaWorkerTesterBuilder {

	private final List<Object> handlers;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final Map<String, Integer> topics = new LinkedHashMap<>();

	private int partitions = 1;

	KafkaWorkerTesterBuilder(List<Object> handlers) {
		if (handlers.isEmpty()) {
			throw new IllegalArgumentException("Give the tester at least one object with @KafkaBatchWorker methods");
		}
		this.handlers = handlers;
	}

	/**
	 * Set a property, as application.yml would: {@code kafka.worker.*} settings of the
	 * workers, placeholders of the annotations, {@code spring.kafka.consumer.*}.
	 * @param name the property
	 * @param value its value
	 * @return this builder
	 */
	public KafkaWorkerTesterBuilder property(String name, Object value) {
		this.properties.put(name, value);
		return this;
	}

	/**
	 * Create a topic before the workers start.
	 * @param topic the topic
	 * @param partitions its partitions
	 * @return this builder
	 */
	public KafkaWorkerTesterBuilder topic(String topic, int partitions) {
		this.topics.put(topic, partitions);
		return this;
	}

	/**
	 * Set the partitions of topics that are not created with {@link #topic}.
	 * @param partitions the number of partitions (1 by default)
	 * @return this builder
	 */
	public KafkaWorkerTesterBuilder partitions(int partitions) {
		this.partitions = partitions;
		return this;
	}

	/**
	 * Start the workers of the handlers and wait until they own their partitions.
	 * @return the tester; close it to stop the workers
	 */
	public KafkaWorkerTester start() {
		SpringApplication application = new SpringApplication(TesterConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		Map<String, Object> defaults = new LinkedHashMap<>(this.properties);
		// Not the application's application.yml: only what the test gives.
		defaults.put("spring.config.name", "kafka-worker-tester");
		application.setDefaultProperties(defaults);
		KafkaWorkerTester[] tester = new KafkaWorkerTester[1];
		application.addInitializers((context) -> {
			tester[0] = InMemoryKafkaSetup.apply(context, this.partitions, this.topics, true);
			GenericApplicationContext generic = (GenericApplicationContext) context;
			for (int i = 0; i < this.handlers.size(); i++) {
				register(generic, "kafkaWorkerTesterHandler" + i, this.handlers.get(i));
			}
		});
		ConfigurableApplicationContext context = application.run();
		return tester[0].runUntilIdle();
	}

	@SuppressWarnings("unchecked")
	private static <T> void register(GenericApplicationContext context, String name, T handler) {
		// A bean definition rather than a singleton, so that the post-processor that
		// finds
		// @KafkaBatchWorker methods sees the object.
		context.registerBean(name, (Class<T>) handler.getClass(), () -> handler);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class })
	static class TesterConfiguration {

	}

}
