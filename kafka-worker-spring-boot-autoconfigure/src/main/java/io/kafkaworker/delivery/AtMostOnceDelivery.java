package io.kafkaworker.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * At-most-once delivery: a poll's offsets are committed before any of its records reaches
 * a lane (invariant 7), so a crash never handles a record twice; a failed record is
 * logged and never runs again.
 */
final class AtMostOnceDelivery implements DeliveryGuarantee {

	private static final Log logger = LogFactory.getLog(AtMostOnceDelivery.class);

	private final String workerId;

	private final DeliveryContext context;

	private final DeliveryGuarantees.CommitterFactory committers;

	AtMostOnceDelivery(DeliveryContext context, DeliveryGuarantees.CommitterFactory committers) {
		this.workerId = context.workerId();
		this.context = context;
		this.committers = committers;
	}

	@Override
	public CommitProtocol open(Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp) {
		OffsetCommitter committer = this.committers.create();
		return new CommitFirst(consumer, committer,
				new WatermarkCommits(this.workerId, this.context.revocationWait(), consumer, committer));
	}

	@Override
	public CallOutcome afterFailedAttempt(List<WorkItem> items, Throwable failure) {
		logger.error("Worker '" + this.workerId + "' failed to handle " + items + "; skipped (at-most-once)", failure);
		items.forEach(WorkItem::complete);
		this.context.actions().count(items, RecordOutcome.FAILURE);
		return CallOutcome.DONE;
	}

	@Override
	public boolean drainsAllFetched() {
		// The fetched records are committed already: leaving them unhandled loses them.
		return true;
	}

	/**
	 * Watermark commits, plus a commit of each poll's offsets before its records are
	 * dispatched.
	 */
	private final class CommitFirst implements CommitProtocol {

		private final Consumer<?, ?> consumer;

		private final OffsetCommitter committer;

		private final WatermarkCommits watermarks;

		CommitFirst(Consumer<?, ?> consumer, OffsetCommitter committer, WatermarkCommits watermarks) {
			this.consumer = consumer;
			this.committer = committer;
			this.watermarks = watermarks;
		}

		// If the commit fails, nothing is handled and the consumer goes back to the
		// poll's first records, so they are fetched and committed again rather than lost
		// or handled twice.
		@Override
		public boolean admit(ConsumerRecords<Object, Object> records) {
			Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
			for (TopicPartition topicPartition : records.partitions()) {
				List<ConsumerRecord<Object, Object>> partitionRecords = records.records(topicPartition);
				offsets.put(topicPartition,
						new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
			}
			if (this.committer.commit(this.consumer, offsets)) {
				return true;
			}
			SeekBack.toFirstRecords(this.consumer, records);
			return false;
		}

		@Override
		public void resumed(Collection<PartitionOffsets> partitions) {
			this.watermarks.resumed(partitions);
		}

		@Override
		public boolean takeSpentWakeUp() {
			return this.watermarks.takeSpentWakeUp();
		}

		@Override
		public void afterDispatch(Collection<PartitionOffsets> assigned) {
			this.watermarks.afterDispatch(assigned);
		}

		@Override
		public void beforePoll(Collection<PartitionOffsets> assigned) {
			this.watermarks.beforePoll(assigned);
		}

		@Override
		public boolean commitNow(Collection<PartitionOffsets> assigned) {
			return this.watermarks.commitNow(assigned);
		}

		@Override
		public void released(List<PartitionOffsets> partitions, Collection<PartitionOffsets> kept, int droppedRecords,
				boolean revoked) {
			if (droppedRecords > 0) {
				List<TopicPartition> released = partitions.stream().map(PartitionOffsets::topicPartition).toList();
				logger.warn("Worker '" + AtMostOnceDelivery.this.workerId + "' dropped " + droppedRecords
						+ " fetched records of revoked partitions " + released
						+ " before handling them; their offsets were committed (at-most-once)");
			}
			this.watermarks.released(partitions, kept, droppedRecords, revoked);
		}

		@Override
		public void forget(TopicPartition topicPartition, Resolution resolution) {
			this.watermarks.forget(topicPartition, resolution);
		}

		@Override
		public long lastCommitted(TopicPartition topicPartition) {
			return this.watermarks.lastCommitted(topicPartition);
		}

	}

}
