package io.kafkaworker.samples.quickstart;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Produces {@code demo.seed} records to {@code demo.orders} once the application has
 * started: record {@code i} has key {@code key-(i % keys)} and, as its value, its
 * sequence number within that key (0, 1, 2, ...), so the output shows whether each key
 * was processed in order.
 */
@Component
class OrderSeeder implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(OrderSeeder.class);

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final DemoProperties properties;

	OrderSeeder(KafkaTemplate<String, String> kafkaTemplate, DemoProperties properties) {
		this.kafkaTemplate = kafkaTemplate;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		int count = this.properties.seed();
		int keys = this.properties.keys();
		if (count == 0) {
			return;
		}
		long startNanos = System.nanoTime();
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
		// Asynchronous sends let the producer batch records; flush() then waits until
		// every one of them is acknowledged (or has failed).
		for (int i = 0; i < count; i++) {
			String key = "key-" + (i % keys);
			String value = Integer.toString(i / keys);
			this.kafkaTemplate.send(QuickstartApplication.ORDERS_TOPIC, key, value).whenComplete((result, ex) -> {
				if (ex != null && failures.getAndIncrement() == 0) {
					firstFailure.set(ex);
				}
			});
		}
		this.kafkaTemplate.flush();
		if (failures.get() > 0) {
			throw new IllegalStateException("Could not produce " + failures.get() + " of " + count + " seed records to "
					+ QuickstartApplication.ORDERS_TOPIC, firstFailure.get());
		}
		logger.info(String.format("Produced %,d records over %,d keys to %s in %,d ms", count, Math.min(keys, count),
				QuickstartApplication.ORDERS_TOPIC, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
	}

}
