package io.kafkaworker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka consumer interceptor that appends every commit the consumer made to a
 * {@link HandledLog}, named by the consumer property {@value #PATH}. Kafka calls
 * {@link #onCommit} on the consumer's thread once the broker accepted the commit, so the
 * commit line follows, in the log, the finish line of every record the commit covers.
 */
public class CommitLog implements ConsumerInterceptor<Object, Object> {

	/** The consumer property that names the log. */
	public static final String PATH = "test.commit-log";

	private @Nullable HandledLog log;

	@Override
	public void configure(Map<String, ?> configs) {
		this.log = new HandledLog(Path.of(String.valueOf(configs.get(PATH))));
	}

	@Override
	public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
		return records;
	}

	@Override
	public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
		Map<Integer, Long> committed = new TreeMap<>();
		Map<Integer, String> metadata = new TreeMap<>();
		offsets.forEach((partition, offset) -> {
			committed.put(partition.partition(), offset.offset());
			metadata.put(partition.partition(), offset.metadata());
		});
		if (this.log != null) {
			this.log.committed(committed, metadata);
		}
	}

	@Override
	public void close() {
		try {
			if (this.log != null) {
				this.log.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
