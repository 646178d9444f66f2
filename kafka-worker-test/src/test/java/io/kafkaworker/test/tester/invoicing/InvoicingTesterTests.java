package io.kafkaworker.test.tester.invoicing;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.kafkaworker.test.InMemoryKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTester;
import io.kafkaworker.test.tester.invoicing.InvoicingApplication.Invoicing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once through the tester: a failure after a send aborts the unit's transaction,
 * so the invoice it sent is never seen, and the re-run sends it once.
 */
@SpringBootTest(properties = { "kafka.worker.workers.invoicing.retry.backoff.initial=5s",
		"kafka.worker.workers.invoicing.retry.backoff.jitter=0" })
@InMemoryKafkaWorkerTest(partitions = 3)
class InvoicingTesterTests {

	@Autowired
	Invoicing invoicing;

	@Test
	void anAbortedUnitsInvoicesAreNeverSeen(KafkaWorkerTester tester) {
		this.invoicing.failOnce.add("order-7");
		IntStream.range(0, 20).forEach((i) -> tester.send("orders", "customer-" + (i % 4), "order-" + i));
		tester.runUntilIdle();
		assertThat(invoices(tester)).as("the unit holding order-7 aborted and waits for its back-off")
			.doesNotContain("invoice for order-7");

		tester.advanceTime(Duration.ofSeconds(5));
		assertThat(invoices(tester)).hasSize(20)
			.doesNotHaveDuplicates()
			.containsAll(IntStream.range(0, 20).mapToObj((i) -> "invoice for order-" + i).toList());
		assertThat(tester.committed("invoicing").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
	}

	private static List<Object> invoices(KafkaWorkerTester tester) {
		return tester.records("invoices").stream().map(ConsumerRecord::value).toList();
	}

}
