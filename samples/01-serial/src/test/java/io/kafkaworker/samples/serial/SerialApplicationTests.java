package io.kafkaworker.samples.serial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as it runs with no arguments, on kafka-worker-test's broker (with a smaller
 * seed): one reading at a time in offset order, and the malformed readings logged and
 * committed past.
 */
@SpringBootTest(properties = { "demo.seed=" + SerialApplicationTests.RECORDS, "demo.work-ms=1" })
@EmbeddedKafkaWorkerTest
@ExtendWith(OutputCaptureExtension.class)
class SerialApplicationTests {

	static final int RECORDS = 600;

	private static final Pattern SKIPPED = Pattern
		.compile("Worker 'readings' skipped (" + Pattern.quote(SerialApplication.TOPIC) + "-\\d+@\\d+)");

	@Autowired
	private DemoStore store;

	@Test
	void handlesOneReadingAtATimeInOffsetOrderAndCommitsPastTheMalformedOnes(KafkaWorkerTestSupport kafka,
			CapturedOutput output) {
		// Every partition is committed up to its end, the malformed readings included.
		Map<TopicPartition, Long> committed = kafka.awaitCommitted("readings", SerialApplication.TOPIC);
		assertThat(committed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);

		List<Saved> handled = this.store.saved();
		int malformed = RECORDS / ReadingSeeder.MALFORMED_EVERY;
		assertThat(handled).hasSize(RECORDS - malformed);
		// SERIAL: never two calls at once, and each call begins after the one before it
		// ended, whatever its partition.
		assertThat(DemoStore.mostAtOnce(handled)).isEqualTo(1);
		for (int i = 1; i < handled.size(); i++) {
			assertThat(handled.get(i).startNanos()).isGreaterThanOrEqualTo(handled.get(i - 1).endNanos());
		}
		// ... in offset order within each partition.
		Map<Integer, List<Long>> offsetsByPartition = handled.stream()
			.collect(Collectors.groupingBy(Saved::partition, Collectors.mapping(Saved::offset, Collectors.toList())));
		offsetsByPartition.forEach((partition, offsets) -> assertThat(offsets).as("partition %d", partition)
			.isSortedAccordingTo(Long::compare)
			.doesNotHaveDuplicates());

		// Each malformed reading has its ERROR line and was not handled; with the handled
		// ones, they are every record of the topic.
		List<String> skipped = new ArrayList<>();
		Matcher matcher = SKIPPED.matcher(output.getOut());
		while (matcher.find()) {
			skipped.add(matcher.group(1));
		}
		assertThat(skipped).hasSize(malformed).doesNotHaveDuplicates();
		assertThat(output.getOut()).contains("(on-failure SKIP)");
		Set<String> everything = new TreeSet<>(skipped);
		handled.forEach((record) -> everything.add(record.position()));
		Set<String> expected = new TreeSet<>();
		committed.forEach((partition, end) -> {
			for (long offset = 0; offset < end; offset++) {
				expected.add(partition + "@" + offset);
			}
		});
		assertThat(everything).isEqualTo(expected);
	}

}
