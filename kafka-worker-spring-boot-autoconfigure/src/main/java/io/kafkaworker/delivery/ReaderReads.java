package io.kafkaworker.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.kafkaworker.event.ReaderFinishedEvent.ReadPartition;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The progress of one consumer of a reader, which commits nothing. With an end, the end
 * offsets are taken when the partitions are assigned; records at or past them are not
 * dispatched, a partition whose position passed its end is paused, and once every
 * partition has nothing outstanding below its end the reader's end is reported, once. A
 * frozen record is outstanding, so a freeze holds the reader at it.
 */
final class ReaderReads implements CommitProtocol {

	private static final Log logger = LogFactory.getLog(ReaderReads.class);

	private final String workerId;

	private final Consumer<?, ?> consumer;

	private final boolean stopAtEnd;

	private final ReaderEnd end;

	private final Map<TopicPartition, Long> starts = new LinkedHashMap<>();

	private final Map<TopicPartition, Long> ends = new HashMap<>();

	private final Map<TopicPartition, Long> dispatched = new HashMap<>();

	private boolean reached;

	ReaderReads(String workerId, Consumer<?, ?> consumer, boolean stopAtEnd, ReaderEnd end) {
		this.workerId = workerId;
		this.consumer = consumer;
		this.stopAtEnd = stopAtEnd;
		this.end = end;
	}

	@Override
	public void assigned(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			this.starts.put(partition, this.consumer.position(partition));
		}
		if (this.stopAtEnd) {
			this.ends.putAll(this.consumer.endOffsets(partitions));
			logger.info("Worker '" + this.workerId + "' reads " + partitions + " from " + this.starts + " up to "
					+ this.ends + ", then stops");
		}
		else {
			logger.info("Worker '" + this.workerId + "' reads " + partitions + " from " + this.starts);
		}
		Map<TopicPartition, ReadPartition> bounds = new LinkedHashMap<>();
		this.starts.forEach((partition, start) -> bounds.put(partition,
				new ReadPartition(start, this.ends.getOrDefault(partition, -1L), 0)));
		this.end.started(bounds);
	}

	@Override
	public List<ConsumerRecord<Object, Object>> cut(TopicPartition topicPartition,
			List<ConsumerRecord<Object, Object>> records) {
		Long endOffset = this.ends.get(topicPartition);
		List<ConsumerRecord<Object, Object>> below = records;
		if (endOffset != null && !records.isEmpty() && records.get(records.size() - 1).offset() >= endOffset) {
			below = records.stream().filter((record) -> record.offset() < endOffset).toList();
		}
		this.dispatched.merge(topicPartition, (long) below.size(), Long::sum);
		return below;
	}

	@Override
	public void afterDispatch(Collection<PartitionOffsets> assigned) {
		checkEnd(assigned);
	}

	@Override
	public void beforePoll(Collection<PartitionOffsets> assigned) {
		checkEnd(assigned);
	}

	// A partition is done once its position passed its end (so every record below it was
	// fetched: offsets of transaction markers and compacted records included) and none of
	// the records it received is outstanding.
	private void checkEnd(Collection<PartitionOffsets> assigned) {
		if (!this.stopAtEnd || this.reached || assigned.isEmpty()) {
			return;
		}
		boolean done = true;
		for (PartitionOffsets partition : assigned) {
			TopicPartition topicPartition = partition.topicPartition();
			long endOffset = this.ends.getOrDefault(topicPartition, 0L);
			boolean fetchedToEnd = this.consumer.position(topicPartition) >= endOffset;
			if (fetchedToEnd && !this.consumer.paused().contains(topicPartition)) {
				// Nothing past the end is needed.
				this.consumer.pause(List.of(topicPartition));
			}
			done &= fetchedToEnd && partition.outstanding() == 0;
		}
		if (done) {
			this.reached = true;
			// The read model observes positions every half second: give it the last ones,
			// which the reader stops at.
			for (PartitionOffsets partition : assigned) {
				TopicPartition topicPartition = partition.topicPartition();
				long position = this.consumer.position(topicPartition);
				OptionalLong lag = this.consumer.currentLag(topicPartition);
				partition.observe(position, lag.isPresent() ? position + lag.getAsLong() : -1);
			}
			Map<TopicPartition, ReadPartition> read = new LinkedHashMap<>();
			this.starts.forEach((partition, start) -> read.put(partition, new ReadPartition(start,
					this.ends.getOrDefault(partition, start), this.dispatched.getOrDefault(partition, 0L))));
			this.end.reached(read);
		}
	}

	@Override
	public boolean commitNow(Collection<PartitionOffsets> assigned) {
		return true;
	}

	@Override
	public void released(List<PartitionOffsets> partitions, Collection<PartitionOffsets> kept, int droppedRecords,
			boolean revoked) {
	}

	@Override
	public void forget(TopicPartition topicPartition, Resolution resolution) {
	}

	@Override
	public long lastCommitted(TopicPartition topicPartition) {
		return -1;
	}

}
