package io.kafkaworker.samples.quickstart;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the quickstart, under {@code demo.*}; for example
 * {@code --demo.seed=50000 --demo.keys=1000 --demo.work-ms=10}.
 *
 * @param seed records to produce to {@code demo.orders} at startup, 0 for none; a small
 * demo by default, so that a first run shows the worker at once
 * @param keys distinct keys of the seeded records ({@code key-0}, {@code key-1}, ...);
 * each key's values are its sequence numbers 0, 1, 2, ...
 * @param workMs milliseconds of simulated I/O per record
 * @param fail keys to produce one record for at startup that fails every attempt, with
 * the value {@value #FAIL_VALUE}: {@code --demo.fail=key-7} freezes key-7's partition
 * until an operator skips the record. It is sent halfway through the seeded records, so
 * the partition has records before and after it
 * @param flaky keys to produce one record for at startup that fails its first three
 * attempts, then succeeds, with the value {@value #FLAKY_VALUE}: with three attempts per
 * record, {@code --demo.flaky=key-3} freezes key-3's partition until an operator resumes
 * the record. Sent with the {@code demo.fail} records
 */
@ConfigurationProperties("demo")
record DemoProperties(@DefaultValue("2000") int seed, @DefaultValue("100") int keys, @DefaultValue("10") long workMs,
		@DefaultValue List<String> fail, @DefaultValue List<String> flaky) {

	/**
	 * The value of the records that {@code demo.fail} produces.
	 */
	static final String FAIL_VALUE = OrderWorker.FAIL_PREFIX + "boom";

	/**
	 * The value of the records that {@code demo.flaky} produces.
	 */
	static final String FLAKY_VALUE = "fail-3:flaky";

	DemoProperties {
		if (seed < 0 || keys < 1 || workMs < 0) {
			throw new IllegalArgumentException("demo.seed and demo.work-ms cannot be negative and demo.keys must be "
					+ "at least 1, but got seed=" + seed + ", keys=" + keys + ", work-ms=" + workMs);
		}
		fail = List.copyOf(fail);
		flaky = List.copyOf(flaky);
	}

}
