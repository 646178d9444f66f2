package io.kafkaworker.samples.shutdown;

import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Produces {@code demo.seed} payments at startup, unless the topic already holds records:
 * started again on the same broker, the sample goes on with the payments of its first run
 * instead of adding more.
 */
@Component
class PaymentSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(PaymentSeeder.class);

	private final DemoSeeder seeder;

	private final int count;

	PaymentSeeder(DemoSeeder seeder, DemoWorkload workload) {
		this.seeder = seeder;
		this.count = workload.seed();
	}

	@Override
	public void run(ApplicationArguments args) {
		long existing = this.seeder.records(GracefulShutdownApplication.TOPIC);
		if (existing > 0) {
			logger.info(String.format("%s already holds %,d payments: not seeding more. The worker goes on from the "
					+ "offsets its last run committed", GracefulShutdownApplication.TOPIC, existing));
			return;
		}
		this.seeder.seed(GracefulShutdownApplication.TOPIC, this.count,
				(i) -> new ProducerRecord<>(GracefulShutdownApplication.TOPIC, "customer-" + (i % 30), "payment-" + i));
		logger.info("Press Ctrl+C (or kill <pid>) while the worker is busy to watch a graceful shutdown");
	}

}
