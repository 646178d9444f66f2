package io.kafkaworker.delivery;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Watermark commits of one consumer: each partition's committable offset (the lowest
 * received offset not complete) is committed every commit interval, and when partitions
 * are revoked after their in-flight records finished (bounded by the revoke timeout).
 * Each commit lists, in its metadata, the records complete above the offset; a partition
 * assigned again skips them (see {@link io.kafkaworker.offset.CompletedOffsets}).
 */
final class WatermarkCommits implements CommitProtocol {

	private static final Log logger = LogFactory.getLog(WatermarkCommits.class);

	/** How often a revocation's wait checks whether a periodic commit is due. */
	private static final long COMMIT_CHECK_NANOS = Duration.ofMillis(100).toNanos();

	/** The least time left in a revocation's wait for a commit to start within it. */
	private static final long MIN_COMMIT_NANOS = Duration.ofMillis(500).toNanos();

	private final String workerId;

	private final RevocationWait revocationWait;

	private final Consumer<?, ?> consumer;

	private final OffsetCommitter committer;

	WatermarkCommits(String workerId, RevocationWait revocationWait, Consumer<?, ?> consumer,
			OffsetCommitter committer) {
		this.workerId = workerId;
		this.revocationWait = revocationWait;
		this.consumer = consumer;
		this.committer = committer;
	}

	@Override
	public void afterDispatch(Collection<PartitionOffsets> assigned) {
		this.committer.commitIfDue(this.consumer, assigned);
	}

	@Override
	public void beforePoll(Collection<PartitionOffsets> assigned) {
		this.committer.commitIfDue(this.consumer, assigned);
	}

	@Override
	public boolean commitNow(Collection<PartitionOffsets> assigned) {
		return this.committer.commitNow(this.consumer, assigned);
	}

	@Override
	public boolean failedForRebalance() {
		return this.committer.failedForRebalance();
	}

	@Override
	public void resumed(Collection<PartitionOffsets> partitions) {
		this.committer.resume(this.consumer, partitions);
	}

	@Override
	public boolean takeSpentWakeUp() {
		return this.committer.takeSpentWakeUp();
	}

	@Override
	public void released(List<PartitionOffsets> partitions, Collection<PartitionOffsets> kept, int droppedRecords,
			boolean revoked) {
		if (revoked) {
			// the kept partitions too: this commit restarts the commit interval
			List<PartitionOffsets> all = new ArrayList<>(partitions);
			all.addAll(kept);
			awaitInFlight(partitions, all);
			this.committer.commitNow(this.consumer, all);
		}
	}

	@Override
	public void forget(TopicPartition topicPartition, Resolution resolution) {
		this.committer.forget(topicPartition);
	}

	@Override
	public long lastCommitted(TopicPartition topicPartition) {
		return this.committer.lastCommitted(topicPartition);
	}

	// A revoked partition is committed only once the records it has in flight finished
	// (invariant 1: no commit passes an unfinished record, and their completions would
	// otherwise be redelivered to the next owner). The wait holds the consumer thread,
	// up to revoke-timeout for a slow call, so it goes on committing every commit
	// interval meanwhile, as the poll loop would: what every partition finished stays
	// committed, and a kill -9 during the wait runs again at most one commit interval of
	// records (the chaos suite saw 4.3 s of them after a 5 s wait).
	private void awaitInFlight(List<PartitionOffsets> partitions, List<PartitionOffsets> all) {
		long start = System.nanoTime();
		long deadline = start + this.revocationWait.fromNow().toNanos();
		try {
			while (!awaitNothingInFlight(partitions, Math.min(deadline, System.nanoTime() + COMMIT_CHECK_NANOS))) {
				// a graceful drain that began meanwhile cuts the wait short
				deadline = Math.min(deadline, System.nanoTime() + this.revocationWait.fromNow().toNanos());
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				// Within the wait, so the revocation still blocks for at most
				// revoke-timeout plus the final commit (checked against
				// max.poll.interval.ms); not in its last moments, when the final commit
				// follows anyway.
				if (left >= MIN_COMMIT_NANOS) {
					this.committer.commitIfDue(this.consumer, all, Duration.ofNanos(left));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<TopicPartition> unfinished = new ArrayList<>();
		for (PartitionOffsets partition : partitions) {
			if (partition.inFlight() > 0) {
				unfinished.add(partition.topicPartition());
			}
		}
		if (!unfinished.isEmpty()) {
			logger.warn(
					"Worker '" + this.workerId + "' stopped waiting for in-flight records of " + unfinished + " after "
							+ DurationFormatterUtils.print(
									Duration.ofNanos(System.nanoTime() - start).truncatedTo(ChronoUnit.MILLIS),
									DurationFormat.Style.COMPOSITE)
							+ "; records not complete by then are redelivered to the partitions' next owner");
		}
	}

	// Whether nothing of the partitions is in flight, waiting until the deadline at most.
	private static boolean awaitNothingInFlight(List<PartitionOffsets> partitions, long deadlineNanos)
			throws InterruptedException {
		for (PartitionOffsets partition : partitions) {
			if (!partition.awaitNothingInFlight(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
				return false;
			}
		}
		return true;
	}

}
