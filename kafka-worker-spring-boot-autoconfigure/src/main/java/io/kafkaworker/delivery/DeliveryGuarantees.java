package io.kafkaworker.delivery;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.transaction.ExactlyOnceStore;
import io.kafkaworker.transaction.TransactionalProducers;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;

/**
 * Chooses a worker's delivery guarantee from its settings, once, when the worker is
 * built. The implementations are package-private: the rest of the engine knows only
 * {@link DeliveryGuarantee} and {@link CommitProtocol}.
 */
public final class DeliveryGuarantees {

	private DeliveryGuarantees() {
	}

	/**
	 * Return the guarantee of a worker.
	 * @param delivery the worker's delivery guarantee
	 * @param store where exactly-once delivery keeps its proof
	 * @param context what the guarantee needs of the worker
	 * @param producers creates transactional producers, or null if the application has no
	 * producer factory
	 * @param committers creates the offset committer of each consumer
	 * @return the guarantee
	 * @throws IllegalStateException if Kafka transactions are needed and no producer
	 * factory is available
	 */
	public static DeliveryGuarantee of(Delivery delivery, ExactlyOnceStore store, DeliveryContext context,
			@Nullable TransactionalProducers producers, CommitterFactory committers) {
		return switch (delivery) {
			case AT_MOST_ONCE -> new AtMostOnceDelivery(context, committers);
			// The JDBC inbox keeps its proof in the handler's transaction and commits
			// offsets by watermark.
			case EXACTLY_ONCE -> (store == ExactlyOnceStore.KAFKA)
					? new KafkaTransactionDelivery(context, required(producers, context), committers)
					: new WatermarkDelivery(context, committers);
			case AT_LEAST_ONCE -> new WatermarkDelivery(context, committers);
			case DEFAULT -> throw new IllegalStateException("delivery must be resolved");
		};
	}

	/**
	 * Return the delivery of a share-group worker: no commits, failed records retried in
	 * place, finished records reported for acknowledgement.
	 * @param outcomes hears which records each call finished, on the lane thread
	 * @return the guarantee
	 */
	public static DeliveryGuarantee share(ShareOutcomes outcomes) {
		return new ShareDelivery(outcomes);
	}

	/**
	 * Return the delivery of a reader: no commits, failed records retried in place.
	 * @param workerId the worker
	 * @param stopAtEnd whether the reader stops at the end offsets it sees when it starts
	 * @param end hears when a consumer of the reader reached its end
	 * @return the guarantee
	 */
	public static DeliveryGuarantee reader(String workerId, boolean stopAtEnd, ReaderEnd end) {
		return new ReaderDelivery(workerId, stopAtEnd, end);
	}

	/**
	 * Return the template a worker's dead letters are sent with.
	 * @param delivery the worker's delivery guarantee
	 * @param store where exactly-once delivery keeps its proof
	 * @param applicationTemplate the application's template, or null if it has none
	 * @return the template, or null if the worker cannot publish dead letters
	 */
	public static @Nullable KafkaOperations<Object, Object> deadLetterTemplate(Delivery delivery,
			ExactlyOnceStore store, @Nullable KafkaOperations<Object, Object> applicationTemplate) {
		// An exactly-once worker's dead letters belong to the transaction of the record
		// they replace.
		return (delivery == Delivery.EXACTLY_ONCE && store == ExactlyOnceStore.KAFKA)
				? KafkaTransactionDelivery.deadLetterTemplate() : applicationTemplate;
	}

	private static TransactionalProducers required(@Nullable TransactionalProducers producers,
			DeliveryContext context) {
		if (producers == null) {
			throw new IllegalStateException("Worker '" + context.workerId() + "' uses delivery EXACTLY_ONCE with Kafka "
					+ "transactions but the application has no ProducerFactory; configure spring.kafka.producer.*");
		}
		return producers;
	}

	/**
	 * Creates the offset committer of a consumer.
	 */
	@FunctionalInterface
	public interface CommitterFactory {

		/**
		 * Create a committer.
		 * @return the committer
		 */
		OffsetCommitter create();

	}

}
