package io.kafkaworker.samples.quickstart;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.kafkaworker.samples.support.DemoSeeder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Produces {@code demo.seed} records to {@code demo.orders} once the application has
 * started (2,000 unless told otherwise, so that a first run shows the worker at once):
 * record {@code i} has key {@code key-(i % keys)} and, as its value, its sequence number
 * within that key (0, 1, 2, ...), so the output shows whether each key was processed in
 * order. Halfway through (or alone, with no seed), it produces one failing record for
 * each key of {@code demo.fail} ({@value DemoProperties#FAIL_VALUE}) and of
 * {@code demo.flaky} ({@value DemoProperties#FLAKY_VALUE}).
 */
@Component
class OrderSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(OrderSeeder.class);

	private final DemoSeeder seeder;

	private final DemoProperties properties;

	private final Environment environment;

	OrderSeeder(KafkaTemplate<String, String> kafkaTemplate, KafkaAdmin kafkaAdmin, DemoProperties properties,
			Environment environment) {
		this.seeder = new DemoSeeder(kafkaTemplate, kafkaAdmin);
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		int count = this.properties.seed();
		int keys = this.properties.keys();
		List<String> failingKeys = this.properties.fail();
		List<String> flakyKeys = this.properties.flaky();
		if (count == 0 && failingKeys.isEmpty() && flakyKeys.isEmpty()) {
			logger.info("Seeding nothing (demo.seed=0): produce records to " + QuickstartApplication.ORDERS_TOPIC
					+ " yourself, for example with kcat");
			logWhereToLook();
			return;
		}
		this.seeder.awaitPartitionsServed(QuickstartApplication.ORDERS_TOPIC, QuickstartApplication.PROCESSED_TOPIC);
		long startNanos = System.nanoTime();
		Stream<ProducerRecord<String, String>> failing = Stream.concat(
				failingKeys.stream().map((key) -> order(key, DemoProperties.FAIL_VALUE)),
				flakyKeys.stream().map((key) -> order(key, DemoProperties.FLAKY_VALUE)));
		this.seeder.send(Stream
			.of(IntStream.range(0, count / 2).mapToObj((i) -> order("key-" + (i % keys), Integer.toString(i / keys))),
					failing,
					IntStream.range(count / 2, count)
						.mapToObj((i) -> order("key-" + (i % keys), Integer.toString(i / keys))))
			.flatMap((records) -> records));
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
		if (count > 0) {
			logger.info(String.format("Produced %,d records over %,d keys to %s in %,d ms", count,
					Math.min(keys, count), QuickstartApplication.ORDERS_TOPIC, elapsedMs));
		}
		logFailing(failingKeys, DemoProperties.FAIL_VALUE, "demo.fail", "it fails every attempt");
		logFailing(flakyKeys, DemoProperties.FLAKY_VALUE, "demo.flaky", "it fails its first 3 attempts, then succeeds");
		logWhereToLook();
	}

	private static ProducerRecord<String, String> order(String key, String value) {
		return new ProducerRecord<>(QuickstartApplication.ORDERS_TOPIC, key, value);
	}

	private void logWhereToLook() {
		String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080");
		logger.info("Where to look: the progress lines below (every 5 s); the worker, its partitions and frozen "
				+ "records at " + base + "/actuator/kafkaworkers; its meters at " + base
				+ "/actuator/prometheus (kafka_worker_*, quickstart_records_processed_total). For a bigger run: "
				+ "--demo.seed=50000 --demo.keys=1000");
	}

	private static void logFailing(List<String> keys, String value, String property, String behavior) {
		if (!keys.isEmpty()) {
			logger.info(String.format(
					"Produced %s with key%s %s to %s (%s): %s, so its partition freezes; see "
							+ "/actuator/kafkaworkers",
					value, (keys.size() > 1) ? "s" : "", String.join(", ", keys), QuickstartApplication.ORDERS_TOPIC,
					property, behavior));
		}
	}

}
