package io.kafkaworker.samples.serial;

import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Produces {@code demo.seed} readings at startup: reading {@code i} comes from sensor
 * {@code sensor-(i % 20)}, and every {@value #MALFORMED_EVERY}th one is malformed.
 */
@Component
class ReadingSeeder implements ApplicationRunner {

	/**
	 * One reading in this many is malformed.
	 */
	static final int MALFORMED_EVERY = 200;

	private static final Log logger = LogFactory.getLog(ReadingSeeder.class);

	private final DemoSeeder seeder;

	private final DemoWorkload workload;

	ReadingSeeder(DemoSeeder seeder, DemoWorkload workload) {
		this.seeder = seeder;
		this.workload = workload;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.seeder.seed(SerialApplication.TOPIC, this.workload.seed(),
				(i) -> new ProducerRecord<>(SerialApplication.TOPIC, "sensor-" + (i % 20),
						(i % MALFORMED_EVERY == MALFORMED_EVERY - 1) ? ReadingWorker.MALFORMED + i
								: Integer.toString(20 + i % 7)));
		logger.info(String.format(
				"%,d of the readings are malformed: look for the worker's ERROR lines \"Worker "
						+ "'readings' skipped ...\"; it commits past them and goes on",
				this.workload.seed() / MALFORMED_EVERY));
	}

}
