package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WatermarkCommits}' revocation: the wait for a revoked partition's
 * in-flight records holds the consumer thread, and must not hold back the commits of what
 * every partition finished meanwhile.
 */
class WatermarkCommitsTests {

	private static final TopicPartition REVOKED = new TopicPartition("orders", 0);

	private static final TopicPartition KEPT = new TopicPartition("orders", 1);

	private final ScheduledExecutorService handler = Executors.newSingleThreadScheduledExecutor();

	private final TimedCommits consumer = new TimedCommits();

	@AfterEach
	void stopHandler() {
		this.handler.shutdownNow();
	}

	@Test
	void aRevocationWaitingForASlowCallGoesOnCommittingEveryCommitInterval() {
		this.consumer.assign(List.of(REVOKED, KEPT));
		this.consumer.seek(REVOKED, 0);
		this.consumer.seek(KEPT, 0);
		WatermarkCommits commits = new WatermarkCommits("orders",
				new RevocationWait(Duration.ofSeconds(10), System::nanoTime), this.consumer, committer());
		PartitionOffsets revoked = new PartitionOffsets(REVOKED);
		long slow = revoked.receive(0);
		revoked.started(1);
		PartitionOffsets kept = new PartitionOffsets(KEPT);
		for (long offset = 0; offset < 3; offset++) {
			kept.complete(kept.receive(offset));
		}
		// the slow call ends 1.5 s into the revocation
		this.handler.schedule(() -> {
			revoked.complete(slow);
			revoked.ended(1);
			this.consumer.slowCallEnded = System.nanoTime();
		}, 1500, TimeUnit.MILLISECONDS);

		commits.released(List.of(revoked), List.of(kept), 0, true);

		assertThat(this.consumer.slowCallEnded).isPositive();
		assertThat(this.consumer.commits)
			.as("a commit of the kept partition while the revocation waited for the slow call")
			.anySatisfy((commit) -> {
				assertThat(commit.offsets()).containsEntry(KEPT, new OffsetAndMetadata(3));
				assertThat(commit.nanos()).isLessThan(this.consumer.slowCallEnded);
			});
		assertThat(this.consumer.commits.get(this.consumer.commits.size() - 1).offsets())
			.as("the revoked partition committed past the slow call once it ended")
			.containsEntry(REVOKED, new OffsetAndMetadata(1));
	}

	@Test
	void aGracefulDrainThatBeginsDuringARevocationCutsItsWaitShort() {
		this.consumer.assign(List.of(REVOKED));
		this.consumer.seek(REVOKED, 0);
		RevocationWait wait = new RevocationWait(Duration.ofSeconds(20), System::nanoTime);
		WatermarkCommits commits = new WatermarkCommits("orders", wait, this.consumer, committer());
		PartitionOffsets revoked = new PartitionOffsets(REVOKED);
		revoked.receive(0);
		revoked.started(1);
		// a stuck call; the drain gives up on it 300 ms into the revocation
		this.handler.schedule(() -> wait.cutAt(System.nanoTime()), 300, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();

		commits.released(List.of(revoked), List.of(), 0, true);

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(revoked.inFlight()).isOne();
	}

	// commits every 200 ms, each waiting up to 1 s
	private static OffsetCommitter committer() {
		return new OffsetCommitter("orders", Duration.ofMillis(200), Duration.ofSeconds(1), 0, System::nanoTime,
				(offsets, duration, failure) -> {
				});
	}

	private record Commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nanos) {
	}

	private static final class TimedCommits extends MockConsumer<Object, Object> {

		final List<Commit> commits = new CopyOnWriteArrayList<>();

		volatile long slowCallEnded;

		TimedCommits() {
			super("earliest");
		}

		@Override
		public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
			this.commits.add(new Commit(Map.copyOf(offsets), System.nanoTime()));
			super.commitSync(offsets, timeout);
		}

	}

}
