package io.kafkaworker.samples.parallel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs with no arguments, on kafka-worker-test's broker (with a smaller
 * seed): every record handled once, with far more calls at once than partitions, records
 * of one partition included.
 */
@SpringBootTest(properties = { "demo.seed=" + ParallelApplicationTests.RECORDS, "demo.work-ms=5" })
@EmbeddedKafkaWorkerTest
class ParallelApplicationTests {

	static final int RECORDS = 1_200;

	@Autowired
	private DemoStore store;

	@Test
	void handlesEveryRecordOnceWithMoreCallsAtOnceThanPartitions(KafkaWorkerTestSupport kafka) {
		Map<TopicPartition, Long> committed = kafka.awaitCommitted("notifications", ParallelApplication.TOPIC);

		// Every record of the topic handled, none twice.
		List<Saved> handled = this.store.saved();
		Set<String> expected = new TreeSet<>();
		committed.forEach((partition, end) -> {
			for (long offset = 0; offset < end; offset++) {
				expected.add(partition + "@" + offset);
			}
		});
		assertThat(expected).hasSize(RECORDS);
		assertThat(handled).extracting(Saved::position).doesNotHaveDuplicates();
		assertThat(handled).extracting(Saved::position).containsExactlyInAnyOrderElementsOf(expected);

		// Parallel beyond the partition count, and within a partition too. (1,200 records
		// arrive at once and each call takes 5 ms, so the 64 calls allowed fill up.)
		assertThat(DemoStore.mostAtOnce(handled)).isGreaterThan(ParallelApplication.PARTITIONS).isLessThanOrEqualTo(64);
		Map<Integer, List<Saved>> byPartition = handled.stream().collect(Collectors.groupingBy(Saved::partition));
		assertThat(byPartition.values())
			.anySatisfy((records) -> assertThat(DemoStore.mostAtOnce(records)).as("calls at once on one partition")
				.isGreaterThan(1));
	}

}
