package io.kafkaworker.integration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.HandledLog;
import io.kafkaworker.testsupport.WorkerProcess;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills a worker's JVM with SIGKILL at random moments mid-stream, restarts it, and proves
 * at-least-once on a real broker: no commit ever passes a record whose handler had not
 * finished, a restart resumes exactly at the committed offset, duplicates come only from
 * the uncommitted window, and in the end every record was handled and the group's
 * committed offsets reach the log end.
 */
class CrashRecoveryIntegrationTests {

	private static final int PARTITIONS = 4;

	private static final int RECORDS = 12_000;

	private static final int KEYS = 200;

	private static final int KILLS = 2;

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "PARTITION", "KEY", "PARALLEL" })
	void noRecordIsLostWhenTheWorkerIsKilledMidStream(Mode mode) throws Exception {
		String topic = Broker.uniqueName("crash-" + mode.name().toLowerCase());
		Broker.createTopic(topic, PARTITIONS);
		long seed = System.nanoTime();
		Random random = new Random(seed);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		Set<String> handled = new HashSet<>();
		Map<TopicPartition, Long> committedAtStart = Map.of();
		for (int run = 1; run <= KILLS + 1; run++) {
			Path log = this.directory.resolve("run-" + run + ".log");
			Process worker = startWorker(topic, mode, log, run);
			try {
				if (run <= KILLS) {
					long target = 300 + random.nextInt((RECORDS - handled.size()) / 3);
					await().atMost(Duration.ofSeconds(60)).until(() -> HandledLog.count(log) >= target);
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
				}
				else {
					await().atMost(Duration.ofSeconds(90))
						.until(() -> union(handled, HandledLog.read(log)).size() == RECORDS);
					await().atMost(Duration.ofSeconds(20))
						.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
			List<HandledLog.Entry> entries = HandledLog.read(log);
			String context = "run " + run + " of " + mode + " (seed " + seed + ", worker output in " + this.directory
					+ ")";
			assertResumedAtCommittedOffset(entries, committedAtStart, context);
			assertLaneOrder(entries, mode, context);
			handled.addAll(keys(entries));
			Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
			assertNoCommitPassedAnUnfinishedRecord(committed, handled, context);
			committedAtStart = committed;
		}
		assertThat(handled).as("records handled across all runs").hasSize(RECORDS);
	}

	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "KEY", "PARALLEL" })
	void atMostOnceNeverHandlesARecordTwiceWhenTheWorkerIsKilledMidStream(Mode mode) throws Exception {
		String topic = Broker.uniqueName("crash-amo-" + mode.name().toLowerCase());
		Broker.createTopic(topic, PARTITIONS);
		long seed = System.nanoTime();
		Random random = new Random(seed);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		Set<String> handled = new HashSet<>();
		Map<TopicPartition, Long> committedAtStart = Map.of();
		for (int run = 1; run <= KILLS + 1; run++) {
			Path log = this.directory.resolve("run-" + run + ".log");
			Process worker = startWorker(topic, mode, "AT_MOST_ONCE", log, run);
			// Only records after the committed offsets can still arrive: those fetched
			// and
			// committed before a kill are lost, as at-most-once allows.
			long deliverable = deliverable(endOffsets, committedAtStart);
			try {
				if (run <= KILLS && deliverable > 1000) {
					long target = 300 + random.nextInt((int) (deliverable / 3));
					await().atMost(Duration.ofSeconds(60)).until(() -> HandledLog.count(log) >= target);
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
				}
				else {
					await().atMost(Duration.ofSeconds(90))
						.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
					awaitQuiet(log);
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
			List<HandledLog.Entry> entries = HandledLog.read(log);
			String context = "run " + run + " of " + mode + " at-most-once (seed " + seed + ", worker output in "
					+ this.directory + ")";
			assertResumedAtCommittedOffset(entries, committedAtStart, context);
			Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
			for (HandledLog.Entry entry : entries) {
				String record = entry.partition() + "@" + entry.offset();
				assertThat(handled.add(record)).as("%s: %s handled twice", context, record).isTrue();
				long committedOffset = committed.getOrDefault(new TopicPartition(topic, entry.partition()), 0L);
				assertThat(entry.offset()).as("%s: %s handled but its offset was not committed first", context, record)
					.isLessThan(committedOffset);
			}
			committedAtStart = committed;
		}
		// Records fetched and committed but not handled when a worker was killed are
		// lost,
		// which at-most-once allows; each kill loses at most what the worker had
		// buffered.
		assertThat(handled.size()).as("records handled (seed %d)", seed)
			.isLessThanOrEqualTo(RECORDS)
			.isGreaterThan(RECORDS / 2);
	}

	private static long deliverable(Map<TopicPartition, Long> endOffsets, Map<TopicPartition, Long> committed) {
		long deliverable = 0;
		for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
			deliverable += end.getValue() - committed.getOrDefault(end.getKey(), 0L);
		}
		return deliverable;
	}

	private static void awaitQuiet(Path log) {
		long[] last = { -1 };
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			long count = HandledLog.count(log);
			boolean quiet = count == last[0];
			last[0] = count;
			return quiet;
		});
	}

	/**
	 * A restarted worker starts at the committed offset: nothing below it is handled
	 * again, so duplicates can only come from the uncommitted window.
	 */
	private static void assertResumedAtCommittedOffset(List<HandledLog.Entry> entries,
			Map<TopicPartition, Long> committedAtStart, String context) {
		Map<Integer, Long> startByPartition = new HashMap<>();
		committedAtStart.forEach((partition, offset) -> startByPartition.put(partition.partition(), offset));
		for (HandledLog.Entry entry : entries) {
			long start = startByPartition.getOrDefault(entry.partition(), 0L);
			assertThat(entry.offset())
				.as("%s: offset %d of partition %d handled below the committed offset %d", context, entry.offset(),
						entry.partition(), start)
				.isGreaterThanOrEqualTo(start);
		}
	}

	/**
	 * Every record below a committed offset was handled before the commit: the tracker
	 * never commits past an unfinished record.
	 */
	private static void assertNoCommitPassedAnUnfinishedRecord(Map<TopicPartition, Long> committed, Set<String> handled,
			String context) {
		committed.forEach((partition, offset) -> {
			for (long below = 0; below < offset; below++) {
				assertThat(handled)
					.as("%s: %s committed up to %d but offset %d was never handled", context, partition, offset, below)
					.contains(partition.partition() + "@" + below);
			}
		});
	}

	private static void assertLaneOrder(List<HandledLog.Entry> entries, Mode mode, String context) {
		if (mode == Mode.PARALLEL) {
			return;
		}
		Map<String, Long> last = new HashMap<>();
		for (HandledLog.Entry entry : entries) {
			String lane = (mode == Mode.KEY) ? entry.partition() + "/" + entry.key()
					: Integer.toString(entry.partition());
			Long previous = last.put(lane, entry.offset());
			assertThat(previous == null || previous < entry.offset())
				.as("%s: lane %s handled offset %d after %d", context, lane, entry.offset(), previous)
				.isTrue();
		}
	}

	private static Set<String> union(Set<String> handled, List<HandledLog.Entry> entries) {
		Set<String> union = new HashSet<>(handled);
		union.addAll(keys(entries));
		return union;
	}

	private static List<String> keys(List<HandledLog.Entry> entries) {
		List<String> keys = new ArrayList<>(entries.size());
		for (HandledLog.Entry entry : entries) {
			keys.add(entry.partition() + "@" + entry.offset());
		}
		return keys;
	}

	private Process startWorker(String topic, Mode mode, Path log, int run) throws IOException {
		return startWorker(topic, mode, "AT_LEAST_ONCE", log, run);
	}

	private Process startWorker(String topic, Mode mode, String delivery, Path log, int run) throws IOException {
		return WorkerProcess.start(CrashableWorkerApplication.class, this.directory.resolve("run-" + run + ".out"),
				"--test.topic=" + topic, "--test.log=" + log, "--test.max-delay-micros=3000",
				"--kafka.worker.workers.crashable.mode=" + mode,
				"--kafka.worker.workers.crashable.delivery=" + delivery,
				"--kafka.worker.workers.crashable.concurrency=12", "--kafka.worker.workers.crashable.group-id=" + topic,
				"--kafka.worker.workers.crashable.commit-interval=200ms");
	}

}
