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
import io.kafkaworker.offset.CompletedOffsets;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.CommitLog;
import io.kafkaworker.testsupport.HandledLog;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerProcess;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

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
		Seed seed = Seed.create();
		Random random = seed.random();
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		Set<String> handled = new HashSet<>();
		Map<TopicPartition, Long> committedAtStart = Map.of();
		Map<Integer, CompletedOffsets> listedComplete = Map.of();
		for (int run = 1; run <= KILLS + 1; run++) {
			Path log = this.directory.resolve("run-" + run + ".log");
			Process worker = startWorker(topic, mode, "AT_LEAST_ONCE", log, run, seed);
			try {
				if (run <= KILLS) {
					long target = 300 + random.nextInt((RECORDS - handled.size()) / 3);
					// The kill must also follow a commit, or the check that no commit
					// passed an unfinished record has nothing to check: on a loaded
					// machine the first commit can come after a small target.
					seed.await("run " + run + " handling " + target + " records after a commit", Duration.ofSeconds(60))
						.until(() -> HandledLog.count(log) >= target && hasCommit(log));
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("killed worker exited (%s)", seed).isTrue();
				}
				else {
					seed.await("the last run handling every record", Duration.ofSeconds(90))
						.until(() -> union(handled, HandledLog.read(log)).size() == RECORDS);
					seed.await("the committed offsets reaching the log end", Duration.ofSeconds(20))
						.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
			List<HandledLog.Entry> entries = HandledLog.read(log);
			String context = "run " + run + " of " + mode + " (" + seed + ", worker output in " + this.directory + ")";
			assertNoCommitPassedAnUnfinishedRecord(HandledLog.timeline(log), committedAtStart, handled, context);
			assertResumedAtCommittedOffset(entries, committedAtStart, context);
			assertNothingListedCompleteRanAgain(entries, listedComplete, context);
			assertLaneOrder(entries, mode, context);
			handled.addAll(keys(entries));
			Map<TopicPartition, Long> committed = Broker.committedOffsets(topic, topic);
			assertEveryCommittedRecordWasHandled(committed, handled, context);
			committedAtStart = committed;
			listedComplete = lastCommits(HandledLog.timeline(log));
		}
		assertThat(handled).as("records handled across all runs").hasSize(RECORDS);
	}

	@ParameterizedTest
	@EnumSource(value = Mode.class, names = { "KEY", "PARALLEL" })
	void atMostOnceNeverHandlesARecordTwiceWhenTheWorkerIsKilledMidStream(Mode mode) throws Exception {
		String topic = Broker.uniqueName("crash-amo-" + mode.name().toLowerCase());
		Broker.createTopic(topic, PARTITIONS);
		Seed seed = Seed.create();
		Random random = seed.random();
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		Set<String> handled = new HashSet<>();
		Map<TopicPartition, Long> committedAtStart = Map.of();
		for (int run = 1; run <= KILLS + 1; run++) {
			Path log = this.directory.resolve("run-" + run + ".log");
			Process worker = startWorker(topic, mode, "AT_MOST_ONCE", log, run, seed);
			// Only records after the committed offsets can still arrive: those fetched
			// and
			// committed before a kill are lost, as at-most-once allows.
			long deliverable = deliverable(endOffsets, committedAtStart);
			try {
				if (run <= KILLS && deliverable > 1000) {
					long target = 300 + random.nextInt((int) (deliverable / 3));
					seed.await("run " + run + " handling " + target + " records", Duration.ofSeconds(60))
						.until(() -> HandledLog.count(log) >= target);
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("killed worker exited (%s)", seed).isTrue();
				}
				else {
					seed.await("the committed offsets reaching the log end", Duration.ofSeconds(90))
						.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
					awaitQuiet(log, seed);
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
			List<HandledLog.Entry> entries = HandledLog.read(log);
			String context = "run " + run + " of " + mode + " at-most-once (" + seed + ", worker output in "
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
		assertThat(handled.size()).as("records handled (%s)", seed)
			.isLessThanOrEqualTo(RECORDS)
			.isGreaterThan(RECORDS / 2);
	}

	/**
	 * One record never finishes (its key's lane holds it) while thousands complete above
	 * it, so the committed offset stays at that record. After a kill, the restarted
	 * worker handles again only what finished after the last commit: the commit's
	 * metadata lists the rest as complete. Without it, every record above the stuck one
	 * runs twice.
	 */
	@Test
	void aRestartHandlesAgainOnlyWhatFinishedAfterTheLastCommitWhateverTheBacklog() throws Exception {
		String topic = Broker.uniqueName("crash-backlog");
		Broker.createTopic(topic, 1);
		Seed seed = Seed.create();
		Random random = seed.random();
		int records = 6_000;
		Broker.produce(topic, records,
				(i) -> new String[] { (i == 0) ? "stuck" : "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Path firstLog = this.directory.resolve("run-1.log");
		Process worker = startWorker(topic, Mode.KEY, "AT_LEAST_ONCE", firstLog, 1, seed, "--test.stuck-key=stuck");
		try {
			seed.await("3,000 records handled", Duration.ofSeconds(60))
				.until(() -> HandledLog.count(firstLog) >= 3_000);
			int seen = HandledLog.timeline(firstLog).size();
			seed.await("two commits after them", Duration.ofSeconds(30)).until(() -> {
				List<HandledLog.Event> timeline = HandledLog.timeline(firstLog);
				return timeline.subList(seen, timeline.size())
					.stream()
					.filter((event) -> event.kind() == HandledLog.Kind.COMMIT)
					.count() >= 2;
			});
		}
		finally {
			worker.destroyForcibly();
			assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("killed worker exited (%s)", seed).isTrue();
		}
		List<HandledLog.Event> firstTimeline = HandledLog.timeline(firstLog);
		// A commit line is written once the broker took the commit, whose metadata was
		// made when it started: what finished before the line of the commit before the
		// last one was surely listed by the last one.
		Set<Long> finishedBeforeLastCommit = new HashSet<>();
		Set<Long> finishedBeforePreviousCommit = new HashSet<>();
		Set<Long> finished = new HashSet<>();
		for (HandledLog.Event event : firstTimeline) {
			if (event.kind() == HandledLog.Kind.FINISH) {
				finished.add(event.offset());
			}
			else if (event.kind() == HandledLog.Kind.COMMIT) {
				finishedBeforePreviousCommit = new HashSet<>(finishedBeforeLastCommit);
				finishedBeforeLastCommit.addAll(finished);
			}
		}
		String context = "backlog above a stuck record (" + seed + ", worker output in " + this.directory + ")";
		assertThat(Broker.committedOffsets(topic, topic)).as(context)
			.isEqualTo(Map.of(new TopicPartition(topic, 0), 0L));
		assertThat(finishedBeforePreviousCommit).as(context).hasSizeGreaterThanOrEqualTo(3_000);

		Path secondLog = this.directory.resolve("run-2.log");
		Process restarted = startWorker(topic, Mode.KEY, "AT_LEAST_ONCE", secondLog, 2, seed);
		try {
			seed.await("every record handled", Duration.ofSeconds(90))
				.until(() -> union(new HashSet<>(keys(HandledLog.read(firstLog))), HandledLog.read(secondLog))
					.size() == records);
			Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
			seed.await("the committed offsets reaching the log end", Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
		}
		finally {
			restarted.destroyForcibly();
			restarted.waitFor(20, TimeUnit.SECONDS);
		}
		List<Long> handledAgain = HandledLog.read(secondLog)
			.stream()
			.map(HandledLog.Entry::offset)
			.filter(finished::contains)
			.toList();
		System.out.println("Restart above a stuck record (" + seed + "): " + finishedBeforePreviousCommit.size()
				+ " records finished before the commit before the last one, "
				+ (finished.size() - finishedBeforePreviousCommit.size()) + " after it; " + handledAgain.size()
				+ " handled again");
		assertThat(handledAgain)
			.as("%s: records handled again that finished before the commit before the last one", context)
			.noneMatch(finishedBeforePreviousCommit::contains);
	}

	// The records the last commit of each partition listed as complete above its offset.
	private static Map<Integer, CompletedOffsets> lastCommits(List<HandledLog.Event> timeline) {
		Map<Integer, CompletedOffsets> last = new HashMap<>();
		for (HandledLog.Event event : timeline) {
			if (event.kind() == HandledLog.Kind.COMMIT) {
				last.put(event.partition(), CompletedOffsets.decode(event.offset(), event.metadata()));
			}
		}
		return last;
	}

	/**
	 * A restarted worker skips what the last commit listed as complete above its offset.
	 * (A commit the broker took after the log's last one lists a superset of what is
	 * still above its offset.)
	 */
	private static void assertNothingListedCompleteRanAgain(List<HandledLog.Entry> entries,
			Map<Integer, CompletedOffsets> listedComplete, String context) {
		for (HandledLog.Entry entry : entries) {
			CompletedOffsets listed = listedComplete.getOrDefault(entry.partition(), CompletedOffsets.NONE);
			assertThat(listed.contains(entry.offset()))
				.as("%s: offset %d of partition %d ran again though the last commit listed it as complete (%s)",
						context, entry.offset(), entry.partition(), listed)
				.isFalse();
		}
	}

	private static boolean hasCommit(Path log) {
		return HandledLog.timeline(log).stream().anyMatch((event) -> event.kind() == HandledLog.Kind.COMMIT);
	}

	private static long deliverable(Map<TopicPartition, Long> endOffsets, Map<TopicPartition, Long> committed) {
		long deliverable = 0;
		for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
			deliverable += end.getValue() - committed.getOrDefault(end.getKey(), 0L);
		}
		return deliverable;
	}

	private static void awaitQuiet(Path log, Seed seed) {
		long[] last = { -1 };
		seed.await("the worker going quiet", Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			long count = HandledLog.count(log);
			boolean quiet = count == last[0];
			last[0] = count;
			return quiet;
		});
	}

	/**
	 * No commit passed a record that was not finished when it was made. The log holds, in
	 * the order they happened, every start and finish of a handler and every commit
	 * (written by {@link CommitLog} once the broker accepted it): at each commit, every
	 * offset of the partition from where the run began up to the committed one must have
	 * finished before. Stronger than the check after the run, which cannot tell whether a
	 * record finished before or after the commit that passed it.
	 */
	private static void assertNoCommitPassedAnUnfinishedRecord(List<HandledLog.Event> timeline,
			Map<TopicPartition, Long> committedAtStart, Set<String> handledBefore, String context) {
		// Records finished in earlier runs count as finished: a run skips those that the
		// last commit listed as complete.
		Map<Integer, Set<Long>> finished = new HashMap<>();
		for (String record : handledBefore) {
			String[] parts = record.split("@");
			finished.computeIfAbsent(Integer.parseInt(parts[0]), (key) -> new HashSet<>())
				.add(Long.parseLong(parts[1]));
		}
		Map<Integer, Set<Long>> running = new HashMap<>();
		Map<Integer, Long> watermark = new HashMap<>();
		committedAtStart.forEach((partition, offset) -> watermark.put(partition.partition(), offset));
		int commits = 0;
		for (HandledLog.Event event : timeline) {
			int partition = event.partition();
			Set<Long> done = finished.computeIfAbsent(partition, (key) -> new HashSet<>());
			Set<Long> started = running.computeIfAbsent(partition, (key) -> new HashSet<>());
			switch (event.kind()) {
				case START -> started.add(event.offset());
				case FINISH -> {
					started.remove(event.offset());
					done.add(event.offset());
				}
				case COMMIT -> {
					commits++;
					long lowestUnfinished = watermark.getOrDefault(partition, 0L);
					while (done.contains(lowestUnfinished)) {
						lowestUnfinished++;
					}
					watermark.put(partition, lowestUnfinished);
					// The records the commit's metadata lists as complete, which a
					// restart
					// skips, must have finished.
					CompletedOffsets claimed = CompletedOffsets.decode(event.offset(), event.metadata());
					for (long above = event.offset() + 1; above <= claimed.highest(); above++) {
						if (claimed.contains(above)) {
							assertThat(done)
								.as("%s: commit %d of partition %d at offset %d lists offset %d as complete, %s",
										context, commits, partition, event.offset(), above,
										started.contains(above) ? "started and not finished" : "not finished")
								.contains(above);
						}
					}
					assertThat(event.offset())
						.as("%s: commit %d of partition %d at offset %d passed offset %d, %s", context, commits,
								partition, event.offset(), lowestUnfinished, started.contains(lowestUnfinished)
										? "started and not finished" : "not finished (not started)")
						.isLessThanOrEqualTo(lowestUnfinished);
				}
			}
		}
		assertThat(commits).as("%s: commits in the log", context).isPositive();
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
	 * Every record below the committed offset after a run was handled in some run.
	 */
	private static void assertEveryCommittedRecordWasHandled(Map<TopicPartition, Long> committed, Set<String> handled,
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

	private Process startWorker(String topic, Mode mode, String delivery, Path log, int run, Seed seed, String... extra)
			throws IOException {
		return WorkerProcess.start(CrashableWorkerApplication.class, this.directory.resolve("run-" + run + ".out"),
				CommandLineArguments.merge(List.of("--test.topic=" + topic, "--test.log=" + log,
						"--test.max-delay-micros=3000", "--test.seed=" + seed.value(),
						"--spring.kafka.consumer.properties.interceptor.classes=" + CommitLog.class.getName(),
						"--spring.kafka.consumer.properties." + CommitLog.PATH + "=" + log,
						"--kafka.worker.workers.crashable.mode=" + mode,
						"--kafka.worker.workers.crashable.delivery=" + delivery,
						"--kafka.worker.workers.crashable.concurrency=12",
						"--kafka.worker.workers.crashable.group-id=" + topic,
						"--kafka.worker.workers.crashable.commit-interval=200ms"), extra));
	}

}
