package io.kafkaworker.samples.support;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the in-process Kafka broker, under {@code demo.broker.*}, for example
 * {@code --demo.broker.port=19092}. {@link InProcessKafkaBrokerRunListener} binds them
 * itself, before any bean exists (the broker has to run before the Kafka beans are
 * created); the annotation gives IDEs their metadata.
 *
 * @param enabled whether to start a broker when no {@code spring.kafka.bootstrap-servers}
 * is configured
 * @param port the broker's client port on localhost; its KRaft controller listens on the
 * next port
 */
@ConfigurationProperties(InProcessKafkaBrokerProperties.PREFIX)
public record InProcessKafkaBrokerProperties(@DefaultValue("true") boolean enabled, @DefaultValue("9092") int port) {

	/**
	 * The prefix of the properties.
	 */
	public static final String PREFIX = "demo.broker";

}
