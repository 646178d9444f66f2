package io.kafkaworker.samples.quickstart;

import java.util.concurrent.ExecutionException;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The worker: for every order on {@code demo.orders}, some slow I/O, then one record on
 * {@code demo.orders.processed} with the same key.
 *
 * <p>
 * With {@link Mode#KEY}, records of different keys run in parallel, up to the worker's
 * concurrency ({@code kafka.worker.workers.orders.concurrency}, 256 in
 * {@code application.yml}), whatever the number of partitions; records of one key run one
 * at a time, in offset order. A plain {@code @KafkaListener} would run one record at a
 * time per partition: 6 in flight here, and at 10 ms per record at most 600 records/s.
 */
@Component
public class OrderWorker {

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final ProgressReporter progress;

	private final long workMs;

	OrderWorker(KafkaTemplate<String, String> kafkaTemplate, ProgressReporter progress, DemoProperties properties) {
		this.kafkaTemplate = kafkaTemplate;
		this.progress = progress;
		this.workMs = properties.workMs();
	}

	/**
	 * Process one order. Called on one of the worker's threads, never for two records of
	 * the same key at once. Returning marks the record done; its offset is committed once
	 * every earlier record of its partition is done too (at-least-once delivery).
	 * @param order the record
	 * @throws InterruptedException if the worker stops during the call; the record is not
	 * committed and is processed again on the next start
	 * @throws ExecutionException if the output record cannot be written
	 */
	@KafkaBatchWorker(id = "orders", topics = QuickstartApplication.ORDERS_TOPIC, mode = Mode.KEY)
	public void process(ConsumerRecord<String, String> order) throws InterruptedException, ExecutionException {
		this.progress.recordStarted();
		// Stands for a call to a database or a remote service.
		Thread.sleep(this.workMs);
		String result = order.partition() + ":" + order.offset() + ":" + order.value();
		// Wait for the broker to acknowledge the output before returning: once this
		// method returns, the input's offset may be committed, and an output still in the
		// producer's buffer would be lost if the process died.
		this.kafkaTemplate.send(QuickstartApplication.PROCESSED_TOPIC, order.key(), result).get();
		this.progress.recordProcessed();
	}

}
