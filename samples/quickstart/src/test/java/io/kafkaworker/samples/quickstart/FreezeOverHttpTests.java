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
 * The README's walkthrough, checked over real HTTP: a {@code fail:} record freezes its
 * partition, {@code GET /actuator/kafkaworkers} shows it while the other partitions keep
 * flowing, {@code skip-frozen} moves past it, and a {@code fail-3:} record, which fails
 * its three attempts and then heals, goes through once {@code resume-frozen} retries it.
 * Committed offsets are read from the broker with an admin client.
 */
@ExtendWith(OutputCaptureExtension.class)
class FreezeOverHttpTests {

	private static final int RECORDS = 600;

	private static final int KEYS = 30;

	private static final String FAILING_KEY = "key-7";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void frozenRecordIsShownThenSkippedAndAHealedRecordIsResumed(CapturedOutput output) {
		int partition;
		long failed;
		long healing;
		try (RunningQuickstart quickstart = RunningQuickstart.start("--demo.seed=" + RECORDS, "--demo.keys=" + KEYS,
				"--demo.fail=" + FAILING_KEY)) {
			// --demo.fail produced one fail:boom record, halfway through the seed
			ConsumerRecord<String, String> failing = quickstart.findOrder(DemoProperties.FAIL_VALUE);
			assertThat(failing.key()).isEqualTo(FAILING_KEY);
			partition = failing.partition();
			failed = failing.offset();
			assertThat(failed).as("records before the failing one in its partition").isPositive();

			// The endpoint shows the frozen record and the paused partition.
			JsonNode frozen = awaitFrozenRecord(quickstart, partition, failed);
			assertThat(frozen.get("scope").asString()).isEqualTo("PARTITION");
			assertThat(frozen.get("topic").asString()).isEqualTo(QuickstartApplication.ORDERS_TOPIC);
			assertThat(frozen.get("key").asString()).isEqualTo(FAILING_KEY);
			assertThat(frozen.get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
			assertThat(frozen.get("message").asString()).isEqualTo("Cannot process order 'fail:boom' of key key-7: "
					+ "the quickstart fails every value that starts with 'fail:'");
			assertThat(frozen.get("attempts").asInt()).isEqualTo(3);
			awaitCommitted(quickstart, partition, failed);
			JsonNode frozenPartition = RunningQuickstart.partition(quickstart.worker(), partition);
			assertThat(frozenPartition.get("pausedFor").values()).extracting(JsonNode::asString)
				.containsExactly("FROZEN");
			assertThat(frozenPartition.get("committedOffset").asLong()).isEqualTo(failed);

			// Every other partition finishes the seed, and goes on with new records.
			Map<Integer, Long> seeded = quickstart.endOffsets();
			awaitOtherPartitionsCommitted(quickstart, partition, seeded);
			long held = quickstart.produce(partition, "key-held", "held");
			for (int other = 0; other < QuickstartApplication.PARTITIONS; other++) {
				if (other != partition) {
					for (int i = 0; i < 10; i++) {
						quickstart.produce(other, "more-" + i, "more-" + i);
					}
				}
			}
			Map<Integer, Long> more = quickstart.endOffsets();
			more.forEach((other, end) -> {
				if (other != partition) {
					assertThat(end).as("end of partition %d", other).isEqualTo(seeded.get(other) + 10);
				}
			});
			awaitOtherPartitionsCommitted(quickstart, partition, more);
			// ... while the frozen partition stays exactly at the failed record, and a
			// record produced to it after the freeze waits.
			assertThat(quickstart.committedOffsets()).containsEntry(partition, failed);
			assertThat(quickstart.worker().get("frozenRecords").values())
				.extracting((record) -> record.get("offset").asLong())
				.containsExactly(failed);
			assertThat(quickstart.processed()).doesNotContain(partition + ":" + held + ":held");

			// skip-frozen moves past it: the partition goes on, the committed offset
			// passes it, and it is never processed.
			RunningQuickstart.Response skip = quickstart.post("/actuator/kafkaworkers/orders/skip-frozen",
					"{\"topic\":\"demo.orders\",\"partition\":" + partition + "}");
			assertThat(skip.status()).as("skip-frozen: %s", skip.body()).isEqualTo(200);
			assertThat(skip.json().get("message").asString()).isEqualTo("1 frozen record(s) skipped");
			assertThat(skip.json().get("records").values()).singleElement()
				.satisfies((record) -> assertThat(record.get("offset").asLong()).isEqualTo(failed));
			awaitCommitted(quickstart, partition, held + 1);
			assertThat(quickstart.processed()).contains(partition + ":" + held + ":held")
				.noneMatch((value) -> value.startsWith(partition + ":" + failed + ":"));
			JsonNode afterSkip = quickstart.worker();
			assertThat(afterSkip.get("frozenRecords").isEmpty()).isTrue();
			assertThat(RunningQuickstart.partition(afterSkip, partition).get("pausedFor").isEmpty()).isTrue();

			// A record that fails its first three attempts freezes too; resume-frozen
			// retries it, and it goes through with the record behind it.
			healing = quickstart.produce(partition, FAILING_KEY, "fail-3:healed");
			long behind = quickstart.produce(partition, FAILING_KEY, "behind-healed");
			JsonNode healingFrozen = awaitFrozenRecord(quickstart, partition, healing);
			assertThat(healingFrozen.get("attempts").asInt()).isEqualTo(3);
			assertThat(healingFrozen.get("message").asString()).contains("attempt 3 fails");
			awaitCommitted(quickstart, partition, healing);
			assertThat(quickstart.processed()).doesNotContain(partition + ":" + behind + ":behind-healed");
			RunningQuickstart.Response resume = quickstart.post("/actuator/kafkaworkers/orders/resume-frozen",
					"{\"topic\":\"demo.orders\",\"partition\":" + partition + "}");
			assertThat(resume.status()).as("resume-frozen: %s", resume.body()).isEqualTo(200);
			assertThat(resume.json().get("message").asString()).isEqualTo("1 frozen record(s) retried");
			awaitCommitted(quickstart, partition, behind + 1);
			assertThat(quickstart.processed()).containsSubsequence(partition + ":" + healing + ":fail-3:healed",
					partition + ":" + behind + ":behind-healed");
			assertThat(quickstart.worker().get("frozenRecords").isEmpty()).isTrue();

			// Every record but the skipped one was processed exactly once.
			long inputs = quickstart.endOffsets().values().stream().mapToLong(Long::longValue).sum();
			List<String> processed = quickstart.processed();
			assertThat(processed).doesNotHaveDuplicates().hasSize((int) inputs - 1);
		}
		assertThat(output).contains("Worker 'orders' froze demo.orders-" + partition + "@" + failed + " (key 'key-7')")
			.contains("Worker 'orders' skipped demo.orders-" + partition + "@" + failed
					+ " (key 'key-7') [freeze scope PARTITION] at an operator's request")
			.contains("Worker 'orders' retries demo.orders-" + partition + "@" + healing
					+ " (key 'key-7') [freeze scope PARTITION] (RESUMED)");
	}

	private static JsonNode awaitFrozenRecord(RunningQuickstart quickstart, int partition, long offset) {
		AtomicReference<JsonNode> found = new AtomicReference<>();
		await().atMost(TIMEOUT).untilAsserted(() -> {
			List<JsonNode> frozen = List.copyOf(quickstart.worker().get("frozenRecords").values());
			assertThat(frozen).singleElement().satisfies((record) -> {
				assertThat(record.get("partition").asInt()).isEqualTo(partition);
				assertThat(record.get("offset").asLong()).isEqualTo(offset);
			});
			found.set(frozen.get(0));
		});
		return found.get();
	}

	private static void awaitCommitted(RunningQuickstart quickstart, int partition, long offset) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(quickstart.committedOffsets()).containsEntry(partition, offset));
	}

	private static void awaitOtherPartitionsCommitted(RunningQuickstart quickstart, int frozen,
			Map<Integer, Long> endOffsets) {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			Map<Integer, Long> committed = quickstart.committedOffsets();
			endOffsets.forEach((partition, end) -> {
				if (partition != frozen) {
					assertThat(committed).as("committed offsets").containsEntry(partition, end);
				}
			});
		});
	}

}
