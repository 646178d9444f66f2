package io.kafkaworker.samples.partition;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs with no arguments, on kafka-worker-test's broker (with a smaller
 * seed): each partition one call at a time in offset order, the partitions at the same
 * time.
 */
@SpringBootTest(properties = { "demo.seed=" + PartitionConcurrentApplicationTests.RECORDS, "demo.work-ms=2" })
@EmbeddedKafkaWorkerTest
class PartitionConcurrentApplicationTests {

	static final int RECORDS = 1_200;

	@Autowired
	private DemoStore store;

	@Autowired
	private LedgerWorker worker;

	@Test
	void appliesEachPartitionInOffsetOrderAndThePartitionsInParallel(KafkaWorkerTestSupport kafka) {
		kafka.awaitCommitted("ledger", PartitionConcurrentApplication.TOPIC);

		List<Saved> handled = this.store.saved();
		assertThat(handled).hasSize(RECORDS);
		assertThat(handled).extracting(Saved::position).doesNotHaveDuplicates();
		Map<Integer, List<Saved>> byPartition = handled.stream().collect(Collectors.groupingBy(Saved::partition));
		assertThat(byPartition).hasSize(PartitionConcurrentApplication.PARTITIONS);
		byPartition.forEach((partition, records) -> {
			// Within a partition: one call at a time, in offset order.
			assertThat(DemoStore.mostAtOnce(records)).as("calls at once on partition %d", partition).isEqualTo(1);
			assertThat(records).extracting(Saved::offset)
				.as("offsets of partition %d, in handling order", partition)
				.isSortedAccordingTo(Long::compare);
		});
		// Across partitions: several calls at once, up to one per partition.
		assertThat(DemoStore.mostAtOnce(handled)).isBetween(2, PartitionConcurrentApplication.PARTITIONS);

		// Every entry applied once: each balance is the sum of its account's entries.
		for (int account = 0; account < PartitionConcurrentApplication.ACCOUNTS; account++) {
			long expected = IntStream
				.iterate(account, (i) -> i < RECORDS, (i) -> i + PartitionConcurrentApplication.ACCOUNTS)
				.mapToLong(PartitionConcurrentApplication::amount)
				.sum();
			assertThat(this.worker.balance("account-" + account)).as("balance of account-%d", account)
				.isEqualTo(expected);
		}
	}

}
