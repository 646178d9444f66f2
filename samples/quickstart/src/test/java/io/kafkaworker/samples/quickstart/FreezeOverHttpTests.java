package io.kafkaworker.samples.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's walkthrough, checked over real HTTP. {@code --demo.fail} and
 * {@code --demo.flaky} produce a record that always fails and one that fails its three
 * attempts and then heals; each freezes its partition, and
 * {@code GET /actuator/kafkaworkers} shows them while the other partitions keep flowing.
 * {@code resume-frozen} gets the healed one through, but only freezes the other again;
 * {@code skip-frozen} moves past it. Committed offsets are read from the broker with an
 * admin client.
 */
@ExtendWith(OutputCaptureExtension.class)
class FreezeOverHttpTests {

	private static final int RECORDS = 600;

	private static final int KEYS = 30;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void frozenRecordsAreShownThenOneIsResumedAndTheOtherSkipped(CapturedOutput output) {
		ConsumerRecord<String, String> failing;
		ConsumerRecord<String, String> flaky;
		try (RunningQuickstart quickstart = RunningQuickstart.start("--demo.seed=" + RECORDS, "--demo.keys=" + KEYS,
				"--demo.fail=key-7", "--demo.flaky=key-3")) {
			failing = quickstart.findOrder(DemoProperties.FAIL_VALUE);
			flaky = quickstart.findOrder(DemoProperties.FLAKY_VALUE);
			int failingPartition = failing.partition();
			int flakyPartition = flaky.partition();
			assertThat(failing.key()).isEqualTo("key-7");
			assertThat(flaky.key()).isEqualTo("key-3");
			assertThat(failingPartition).as("key-7 and key-3 on different partitions").isNotEqualTo(flakyPartition);
			assertThat(failing.offset()).as("records before the failing one in its partition").isPositive();

			// The endpoint shows both frozen records, and their partitions paused.
			List<JsonNode> frozen = awaitFrozenRecords(quickstart, 2);
			JsonNode frozenFailing = frozenAt(frozen, failing);
			assertThat(frozenFailing.get("scope").asString()).isEqualTo("PARTITION");
			assertThat(frozenFailing.get("topic").asString()).isEqualTo(QuickstartApplication.ORDERS_TOPIC);
			assertThat(frozenFailing.get("key").asString()).isEqualTo("key-7");
			assertThat(frozenFailing.get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
			assertThat(frozenFailing.get("message").asString()).isEqualTo("Cannot process order 'fail:boom' of key "
					+ "key-7: the quickstart fails every value that starts with 'fail:'");
			assertThat(frozenFailing.get("attempts").asInt()).isEqualTo(3);
			JsonNode frozenFlaky = frozenAt(frozen, flaky);
			assertThat(frozenFlaky.get("key").asString()).isEqualTo("key-3");
			assertThat(frozenFlaky.get("attempts").asInt()).isEqualTo(3);
			assertThat(frozenFlaky.get("message").asString()).isEqualTo("Cannot process order 'fail-3:flaky' of key "
					+ "key-3 yet: attempt 3 fails, as 'fail-3:' asks for its first 3 attempts");
			awaitCommitted(quickstart, failingPartition, failing.offset());
			awaitCommitted(quickstart, flakyPartition, flaky.offset());
			JsonNode worker = quickstart.worker();
			for (ConsumerRecord<String, String> record : List.of(failing, flaky)) {
				JsonNode partition = RunningQuickstart.partition(worker, record.partition());
				assertThat(partition.get("pausedFor").values()).extracting(JsonNode::asString)
					.containsExactly("FROZEN");
				assertThat(partition.get("committedOffset").asLong()).isEqualTo(record.offset());
			}

			// Every other partition finishes the seed, and goes on with new records...
			List<Integer> frozenPartitions = List.of(failingPartition, flakyPartition);
			Map<Integer, Long> seeded = quickstart.endOffsets();
			awaitCommitted(quickstart, seeded, frozenPartitions);
			long held = quickstart.produce(failingPartition, "key-held", "held");
			for (int partition = 0; partition < QuickstartApplication.PARTITIONS; partition++) {
				if (!frozenPartitions.contains(partition)) {
					for (int i = 0; i < 10; i++) {
						quickstart.produce(partition, "more-" + i, "more-" + i);
					}
				}
			}
			Map<Integer, Long> more = quickstart.endOffsets();
			awaitCommitted(quickstart, more, frozenPartitions);
			// ... while the frozen partitions stay exactly at their failed records, and a
			// record produced to one of them after the freeze waits.
			assertThat(quickstart.committedOffsets()).containsEntry(failingPartition, failing.offset())
				.containsEntry(flakyPartition, flaky.offset());
			assertThat(quickstart.worker().get("frozenRecords").values()).hasSize(2);
			assertThat(quickstart.processed()).doesNotContain(failingPartition + ":" + held + ":held");

			// resume-frozen gets the healed record through, and its partition goes on.
			RunningQuickstart.Response resumeFlaky = quickstart.post("/actuator/kafkaworkers/orders/resume-frozen",
					"{\"topic\":\"demo.orders\",\"partition\":" + flakyPartition + "}");
			assertThat(resumeFlaky.status()).as("resume-frozen: %s", resumeFlaky.body()).isEqualTo(200);
			assertThat(resumeFlaky.json().get("message").asString()).isEqualTo("1 frozen record(s) retried");
			assertThat(resumeFlaky.json().get("records").values()).extracting((record) -> record.get("offset").asLong())
				.containsExactly(flaky.offset());
			awaitCommitted(quickstart, flakyPartition, more.get(flakyPartition));
			assertThat(quickstart.processed()).contains(flakyPartition + ":" + flaky.offset() + ":fail-3:flaky");

			// resume-frozen on a record that still fails: fresh retries, then frozen
			// again.
			String firstFreeze = frozenFailing.get("since").asString();
			RunningQuickstart.Response resumeFailing = quickstart.post("/actuator/kafkaworkers/orders/resume-frozen",
					"{\"topic\":\"demo.orders\",\"partition\":" + failingPartition + "}");
			assertThat(resumeFailing.status()).as("resume-frozen: %s", resumeFailing.body()).isEqualTo(200);
			JsonNode frozenAgain = await().atMost(TIMEOUT)
				.until(() -> awaitFrozenRecords(quickstart, 1).get(0),
						(record) -> !record.get("since").asString().equals(firstFreeze));
			assertThat(frozenAgain.get("offset").asLong()).isEqualTo(failing.offset());
			assertThat(frozenAgain.get("attempts").asInt()).isEqualTo(3);
			assertThat(quickstart.committedOffsets()).containsEntry(failingPartition, failing.offset());

			// skip-frozen moves past it: the partition goes on, the committed offset
			// passes
			// it, and it is never processed.
			RunningQuickstart.Response skip = quickstart.post("/actuator/kafkaworkers/orders/skip-frozen",
					"{\"topic\":\"demo.orders\",\"partition\":" + failingPartition + "}");
			assertThat(skip.status()).as("skip-frozen: %s", skip.body()).isEqualTo(200);
			assertThat(skip.json().get("message").asString()).isEqualTo("1 frozen record(s) skipped");
			assertThat(skip.json().get("records").values()).extracting((record) -> record.get("offset").asLong())
				.containsExactly(failing.offset());
			awaitCommitted(quickstart, failingPartition, held + 1);
			assertThat(quickstart.processed()).contains(failingPartition + ":" + held + ":held")
				.noneMatch((value) -> value.startsWith(failingPartition + ":" + failing.offset() + ":"));
			JsonNode afterSkip = quickstart.worker();
			assertThat(afterSkip.get("frozenRecords").isEmpty()).isTrue();
			assertThat(afterSkip.get("partitions").values())
				.allSatisfy((partition) -> assertThat(partition.get("pausedFor").isEmpty()).isTrue());

			// Every record but the skipped one was processed exactly once.
			long inputs = quickstart.endOffsets().values().stream().mapToLong(Long::longValue).sum();
			assertThat(quickstart.processed()).doesNotHaveDuplicates().hasSize((int) inputs - 1);
		}
		String failingRecord = "demo.orders-" + failing.partition() + "@" + failing.offset() + " (key 'key-7')";
		String flakyRecord = "demo.orders-" + flaky.partition() + "@" + flaky.offset() + " (key 'key-3')";
		assertThat(output)
			.contains("Worker 'orders' attempt 1 of 3 for [demo.orders-" + failing.partition() + "@" + failing.offset()
					+ "] failed (java.lang.IllegalStateException: Cannot process order 'fail:boom'")
			.contains("Worker 'orders' froze " + failingRecord + " [freeze scope PARTITION] after 3 attempts")
			.contains("Worker 'orders' froze " + flakyRecord + " [freeze scope PARTITION] after 3 attempts")
			.contains("Worker 'orders' retries " + flakyRecord + " [freeze scope PARTITION] (RESUMED)")
			.contains(
					"Worker 'orders' skipped " + failingRecord + " [freeze scope PARTITION] at an operator's request");
	}

	private static List<JsonNode> awaitFrozenRecords(RunningQuickstart quickstart, int count) {
		AtomicReference<List<JsonNode>> found = new AtomicReference<>();
		await().atMost(TIMEOUT).untilAsserted(() -> {
			List<JsonNode> frozen = List.copyOf(quickstart.worker().get("frozenRecords").values());
			assertThat(frozen).hasSize(count);
			found.set(frozen);
		});
		return found.get();
	}

	private static JsonNode frozenAt(List<JsonNode> frozen, ConsumerRecord<String, String> record) {
		return frozen.stream()
			.filter((candidate) -> candidate.get("partition").asInt() == record.partition()
					&& candidate.get("offset").asLong() == record.offset())
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					"No frozen record at " + record.partition() + "@" + record.offset() + " in " + frozen));
	}

	private static void awaitCommitted(RunningQuickstart quickstart, int partition, long offset) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(quickstart.committedOffsets()).containsEntry(partition, offset));
	}

	private static void awaitCommitted(RunningQuickstart quickstart, Map<Integer, Long> endOffsets,
			List<Integer> except) {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			Map<Integer, Long> committed = quickstart.committedOffsets();
			endOffsets.forEach((partition, end) -> {
				if (!except.contains(partition)) {
					assertThat(committed).as("committed offsets").containsEntry(partition, end);
				}
			});
		});
	}

}
