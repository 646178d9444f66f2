package io.kafkaworker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a {@code @SpringBootTest} class against a real Kafka broker: Apache Kafka's own
 * KRaft server, started in-process on first use and shared by every test class of the
 * test JVM (it stops when the JVM exits).
 * <p>
 * Before the application context starts, the {@link #topics() topics} are created (an
 * existing topic is kept), {@code spring.kafka.bootstrap-servers} (and the consumer,
 * producer, admin and streams variants) points at the broker, ahead of every other
 * property source, and {@code spring.kafka.consumer.auto-offset-reset} defaults to
 * {@code earliest}, so that a worker also handles the records a test sends before the
 * worker joined its group (your own setting of it wins). The context holds a
 * {@link KafkaWorkerTestSupport} bean, and a test method can also declare one as a
 * parameter.
 * <p>
 * Test classes with the same annotation and configuration share one cached context, as
 * Spring's test context caching does. Since the broker outlives the contexts and cached
 * contexts keep their workers running, give each test class its own topics and consumer
 * groups (or worker ids) unless its tests are meant to see each other's records.
 *
 * @see KafkaWorkerTestSupport
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaWorkerTestExtension.class)
public @interface EmbeddedKafkaWorkerTest {

	/**
	 * The topics to create before the application context starts.
	 * @return the topics
	 */
	Topic[] topics() default {};

	/**
	 * A topic to create.
	 */
	@Target({})
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface Topic {

		/**
		 * The topic's name.
		 * @return the name
		 */
		String name();

		/**
		 * The topic's partitions.
		 * @return the number of partitions
		 */
		int partitions() default 1;

	}

}
