package io.kafkaworker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a {@code @SpringBootTest} class the {@link KafkaWorkerTestSupport} of
 * {@link EmbeddedKafkaWorkerTest} against the Kafka the application itself connects to: a
 * Testcontainers container declared with {@code @ServiceConnection}, or
 * {@code spring.kafka.bootstrap-servers}. The address comes from Spring Boot's
 * {@code KafkaConnectionDetails}, and the {@link #topics() topics} are created when the
 * support bean is, before the workers start.
 * <p>
 * Unlike {@link EmbeddedKafkaWorkerTest}, nothing is started and no property is changed;
 * set {@code spring.kafka.consumer.auto-offset-reset=earliest} if the test sends records
 * before the workers join their groups.
 *
 * @see EmbeddedKafkaWorkerTest
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaWorkerTestExtension.class)
public @interface ConnectedKafkaWorkerTest {

	/**
	 * The topics to create before the workers start.
	 * @return the topics
	 */
	EmbeddedKafkaWorkerTest.Topic[] topics() default {};

}
