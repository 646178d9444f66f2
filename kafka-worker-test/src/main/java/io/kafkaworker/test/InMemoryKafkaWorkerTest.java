package io.kafkaworker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a {@code @SpringBootTest} class's workers over an in-memory Kafka, with a clock
 * the test moves: no broker, no sleeping through back-offs. The context holds a
 * {@link KafkaWorkerTester} bean (a test method can also declare it as a parameter) to
 * send records, run until idle, move the clock and assert on what the handlers received,
 * committed offsets, frozen records, dead letters and sent records.
 * <p>
 * Before the context starts, the application's {@code ConsumerFactory},
 * {@code ProducerFactory} and {@code KafkaAdmin} become the in-memory Kafka's (Spring
 * Boot's own back off; a {@code KafkaTemplate} built on the producer factory sends to the
 * in-memory Kafka too, and the admin creates dead-letter and table topics there), the
 * workers' scheduler becomes the tester's {@link ManualTaskScheduler}, and every worker
 * commits on every poll ({@code kafka.worker.defaults.commit-interval=1ms}, over the
 * application's setting). Consumers start from the earliest offset unless the application
 * says otherwise.
 * <p>
 * Each test class gets its own context, and with it its own in-memory Kafka; the test
 * methods of one class share them, so give them distinct keys or topics, or read
 * {@link KafkaWorkerTester#handled} relative to what an earlier method left.
 *
 * @see KafkaWorkerTester
 * @see EmbeddedKafkaWorkerTest
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaWorkerTestExtension.class)
public @interface InMemoryKafkaWorkerTest {

	/**
	 * The partitions of a topic that the test did not create with
	 * {@link KafkaWorkerTester#createTopic}.
	 * @return the number of partitions
	 */
	int partitions() default 1;

}
