package io.kafkaworker.delivery;

import java.time.Duration;
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
	public void released(List<PartitionOffsets> partitions, int droppedRecords, boolean revoked) {
		if (revoked) {
			awaitInFlight(partitions);
			this.committer.commitNow(this.consumer, partitions);
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
	// otherwise be redelivered to the next owner).
	private void awaitInFlight(List<PartitionOffsets> partitions) {
		Duration wait = this.revocationWait.fromNow();
		long deadline = System.nanoTime() + wait.toNanos();
		List<TopicPartition> unfinished = new ArrayList<>();
		try {
			for (PartitionOffsets partition : partitions) {
				Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				if (!partition.awaitNothingInFlight(remaining)) {
					unfinished.add(partition.topicPartition());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!unfinished.isEmpty()) {
			logger.warn("Worker '" + this.workerId + "' stopped waiting for in-flight records of " + unfinished
					+ " after " + DurationFormatterUtils.print(wait, DurationFormat.Style.COMPOSITE)
					+ "; records not complete by then are redelivered to the partitions' next owner");
		}
	}

}
