package io.kafkaworker.samples.clicks;

import io.kafkaworker.samples.support.DemoConfiguration;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Sample 08: goka's click counter made Spring. {@link ClickCounter} counts the clicks of
 * {@value #TOPIC} (key: user id, value: page) per user in its group table
 * {@value ClickCounter#TABLE}; {@link ClickController} serves the counts from a view of
 * that table at {@code GET /users/{id}/clicks}. {@link ClickEmitter} produces the demo
 * clicks: a few thousand at startup, then a few a second.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
@EnableConfigurationProperties(ClickDemoProperties.class)
public class ClickCounterApplication {

	/**
	 * The topic of the clicks.
	 */
	static final String TOPIC = "clicks";

	@Bean
	NewTopic clicksTopic() {
		return TopicBuilder.name(TOPIC).partitions(3).build();
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example {@code --demo.seed=10000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(ClickCounterApplication.class, args);
	}

}
