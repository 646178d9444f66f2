package io.kafkaworker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a public method of a Spring bean as a Kafka worker: the auto-configuration
 * consumes the topics and calls the method for every record, with the ordering of
 * {@link #mode()} and the guarantee of {@link #delivery()}.
 *
 * <p>
 * Supported signatures, where {@code K} and {@code V} are the types produced by the
 * configured deserializers ({@code spring.kafka.consumer.*}):
 * <ul>
 * <li>{@code void handle(ConsumerRecord<K, V> record)}</li>
 * <li>{@code void handle(V payload)}</li>
 * <li>{@code void handle(List<ConsumerRecord<K, V>> records)}: a lane-batch, up to
 * {@link #batchSize()} records of one lane, in lane order</li>
 * <li>{@code void handle(List<V> payloads)}: the same, payloads only</li>
 * </ul>
 * Throwing from the method marks the record (or the lane-batch) as failed.
 *
 * <p>
 * Every attribute except {@link #id()} can also be set in {@code application.yml}. The
 * value used is the first one found in: {@code kafka.worker.workers.<id>.*}, this
 * annotation, {@code kafka.worker.defaults.*}, the built-in default.
 *
 * <p>
 * For a native image, ahead-of-time processing registers the reflection hints the method
 * needs ({@link KafkaBatchWorkerReflectiveProcessor}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(KafkaBatchWorkerReflectiveProcessor.class)
public @interface KafkaBatchWorker {

	/**
	 * Marks an int attribute that is not set here.
	 */
	int UNSET = -1;

	/**
	 * The worker's id: the key of its properties under {@code kafka.worker.workers}, the
	 * id of its listener container, and the prefix of its consumers' client ids. Defaults
	 * to the bean name and method name in kebab case, for example
	 * {@code order-handler-handle}.
	 * @return the id
	 */
	String id() default "";

	/**
	 * The topics to consume. Property placeholders are resolved.
	 * @return the topics
	 */
	String[] topics() default {};

	/**
	 * The consumer group. Defaults to the worker's id.
	 * @return the group id
	 */
	String groupId() default "";

	/**
	 * The ordering contract. Defaults to {@code kafka.worker.defaults.mode}, itself
	 * {@link Mode#PARTITION} unless configured.
	 * @return the mode
	 */
	Mode mode() default Mode.DEFAULT;

	/**
	 * The delivery guarantee. Defaults to {@code kafka.worker.defaults.delivery}, itself
	 * {@link Delivery#AT_LEAST_ONCE} unless configured.
	 * @return the delivery guarantee
	 */
	Delivery delivery() default Delivery.DEFAULT;

	/**
	 * The most handler calls that run at once for this worker, across all its partitions
	 * and consumers. With single-record handlers this is the most records in flight.
	 * @return the concurrency, at least 1
	 */
	int concurrency() default UNSET;

	/**
	 * The number of consumer threads (Kafka consumers) of this worker: the listener
	 * container's concurrency. More than the number of partitions leaves consumers idle.
	 * @return the number of consumers, at least 1
	 */
	int consumers() default UNSET;

	/**
	 * The most records passed to one call of a lane-batch handler (a {@code List}
	 * parameter). Ignored by single-record handlers.
	 * @return the batch size, at least 1
	 */
	int batchSize() default UNSET;

	/**
	 * Whether the worker starts with the application context: {@code "true"},
	 * {@code "false"} or a property placeholder. Empty means the configured default.
	 * @return whether to start automatically
	 */
	String autoStartup() default "";

	/**
	 * Whether the worker consumes through a Kafka share group (a queue, KIP-932) named by
	 * its group id instead of a consumer group: {@code "true"}, {@code "false"} or a
	 * property placeholder. Empty means the configured default. Only for
	 * {@link Mode#PARALLEL} workers: a share group keeps no order.
	 * @return whether to consume through a share group
	 */
	String shareGroup() default "";

	/**
	 * Makes the worker a reader: no consumer group, no commits, a start position and
	 * optionally an end ({@link Reader}). Empty (the default) for a worker of a consumer
	 * group; {@code kafka.worker.workers.<id>.reader.enabled} overrides it either way.
	 * @return one reader, or none
	 */
	Reader[] reader() default {};

}
