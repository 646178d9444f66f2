package io.kafkaworker.samples.batchtracing;

import java.util.List;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Writes telemetry in batches.
 */
@Component
public class TelemetryWorker {

	private static final Log logger = LogFactory.getLog(TelemetryWorker.class);

	private final DemoStore store;

	TelemetryWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Write a lane-batch: up to {@code batch-size} records of one lane (here one
	 * partition, in offset order), as one bulk insert. The call is one span, named
	 * {@code process demo.telemetry}, with {@code messaging.batch.message_count} and a
	 * link to each record's trace; it is current while this method runs, so the log line
	 * below carries its trace id. The batch succeeds or fails as a whole.
	 * @param batch the records
	 * @throws InterruptedException if the worker stops during the call
	 */
	@KafkaBatchWorker(id = "telemetry", topics = BatchTracingApplication.TOPIC, mode = Mode.PARTITION, batchSize = 100)
	public void write(List<ConsumerRecord<String, String>> batch) throws InterruptedException {
		// Stands for one bulk insert into a time-series database.
		this.store.saveAll(batch);
		ConsumerRecord<String, String> first = batch.get(0);
		logger.info(String.format("Wrote %d samples of %s-%d, offsets %d to %d", batch.size(), first.topic(),
				first.partition(), first.offset(), batch.get(batch.size() - 1).offset()));
	}

}
