package io.kafkaworker.samples.backfill;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backfill as it runs, on kafka-worker-test's broker with a smaller seed and without
 * the exit (a test JVM must not exit): the reader totals every order written before it
 * started, once, and finishes by itself.
 */
@SpringBootTest(properties = { "demo.seed=" + BackfillApplicationTests.ORDERS, "demo.work-ms=1",
		"kafka.worker.workers.totals.reader.exit-when-done=false" })
@EmbeddedKafkaWorkerTest
@ExtendWith(OutputCaptureExtension.class)
class BackfillApplicationTests {

	static final int ORDERS = 3000;

	@Autowired
	private OrderTotals totals;

	@Autowired
	private WorkerRegistry workers;

	@Test
	void totalsEveryOrderOnceThenFinishes(CapturedOutput output) {
		await("the reader finishing").atMost(Duration.ofSeconds(60))
			.until(() -> this.workers.find(OrderTotals.WORKER).snapshot().state() == WorkerSnapshot.State.FINISHED);
		Map<String, Long> expected = new HashMap<>();
		for (int i = 0; i < ORDERS; i++) {
			expected.merge(OrderSeeder.customer(i), OrderSeeder.amount(i), Long::sum);
		}
		assertThat(this.totals.totals()).isEqualTo(expected);
		assertThat(output.getOut()).contains("read 3000 records to the end of")
			.contains("Backfill done: 3,000 orders of 50 customers");
	}

}
