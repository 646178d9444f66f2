package io.kafkaworker.samples.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.admin.TimestampOffset;
import io.kafkaworker.admin.TopicOffsets;
import io.kafkaworker.admin.Watermarks;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code consume}: go-kafka's {@code -consume}, without a consumer group. It assigns the
 * topic's partitions (or one), starts where {@code --from} says, and prints one line per
 * record: partition, offset, timestamp, key and value, separated by tabs. Without
 * {@code --follow} it stops at the end offsets the topic had when it started, or after
 * {@code --count} records.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
		description = { "Print a topic's records, one a line: partition, offset, timestamp, key, value "
				+ "(and headers with --print-headers), separated by tabs; a null key or value prints as (null).",
				"Reads without a consumer group: nothing is committed." })
public class ConsumeCommand implements Callable<Integer> {

	private static final Duration POLL = Duration.ofMillis(100);

	private final KafkaClients kafka;

	private final KafkaOffsets offsets;

	private final CliConsole console;

	@Parameters(paramLabel = "TOPIC", description = "The topic.")
	private String topic = "";

	@Option(names = { "-p", "--partition" }, paramLabel = "P", description = "Read this partition only.")
	private @Nullable Integer partition;

	@Option(names = "--from", paramLabel = "beginning|end|OFFSET|TIME", converter = StartPosition.Converter.class,
			defaultValue = "beginning",
			description = "Where to start on each partition: its first record, its end, an offset, or the first "
					+ "record at or after an ISO-8601 time such as 2026-01-31T12:00:00Z (default: ${DEFAULT-VALUE}).")
	private StartPosition from = new StartPosition(StartPosition.Kind.BEGINNING, 0, null);

	@Option(names = { "-n", "--count" }, paramLabel = "N", description = "Stop after N records.")
	private @Nullable Long count;

	@Option(names = { "-f", "--follow" },
			description = "Keep reading the records written after the start, until --count or Ctrl+C.")
	private boolean follow;

	@Option(names = "--key-format", paramLabel = "FORMAT", defaultValue = "string",
			description = "How to print keys: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
	private RecordFormat keyFormat = RecordFormat.STRING;

	@Option(names = "--value-format", paramLabel = "FORMAT", defaultValue = "string",
			description = "How to print values: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
	private RecordFormat valueFormat = RecordFormat.STRING;

	@Option(names = "--print-headers", description = "Print the headers after the value, as key=value,key=value.")
	private boolean printHeaders;

	ConsumeCommand(KafkaClients kafka, KafkaOffsets offsets, CliConsole console) {
		this.kafka = kafka;
		this.offsets = offsets;
		this.console = console;
	}

	@Override
	public Integer call() {
		// The watermarks name the partitions and where each one begins and ends now (an
		// unknown topic fails here, before a consumer waits for its metadata).
		TopicOffsets watermarks = this.offsets.watermarks(this.topic);
		Map<TopicPartition, Long> start = startOffsets(watermarks);
		Map<TopicPartition, Long> end = watermarks.partitions()
			.stream()
			.collect(Collectors.toMap((marks) -> new TopicPartition(this.topic, marks.partition()), Watermarks::high));
		if (this.count != null && this.count <= 0) {
			return 0;
		}
		try (Consumer<byte[], byte[]> consumer = this.kafka.consumer()) {
			consumer.assign(start.keySet());
			start.forEach(consumer::seek);
			read(consumer, end);
		}
		return 0;
	}

	private Map<TopicPartition, Long> startOffsets(TopicOffsets watermarks) {
		Map<Integer, Long> atTimestamp = (this.from.kind() == StartPosition.Kind.TIMESTAMP) ? timestampOffsets()
				: Map.of();
		Map<TopicPartition, Long> start = new HashMap<>();
		for (Watermarks marks : watermarks.partitions()) {
			if (this.partition != null && this.partition != marks.partition()) {
				continue;
			}
			long offset = switch (this.from.kind()) {
				case BEGINNING -> marks.low();
				case END -> marks.high();
				// Clamped: a consumer seeking out of range would reset to
				// auto-offset-reset.
				case OFFSET -> Math.max(marks.low(), Math.min(marks.high(), this.from.offset()));
				case TIMESTAMP -> atTimestamp.getOrDefault(marks.partition(), marks.high());
			};
			start.put(new TopicPartition(this.topic, marks.partition()), offset);
		}
		if (start.isEmpty()) {
			throw new CliException("Topic '" + this.topic + "' has no partition " + this.partition + " (it has "
					+ watermarks.partitions().size() + ")");
		}
		return start;
	}

	private Map<Integer, Long> timestampOffsets() {
		Instant timestamp = this.from.timestamp();
		Map<Integer, Long> found = new HashMap<>();
		if (timestamp != null) {
			for (TimestampOffset offset : this.offsets.offsetsForTimestamp(this.topic, timestamp).partitions()) {
				if (offset.offset() != null) {
					found.put(offset.partition(), offset.offset());
				}
			}
		}
		return found;
	}

	// Without --follow, reads each partition up to the end it had at the start; a
	// partition whose position does not move for the timeout fails the command (the
	// broker went away).
	private void read(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
		PrintWriter out = this.console.out();
		long printed = 0;
		long lastProgress = System.nanoTime();
		while (this.follow || !reachedEnd(consumer, end)) {
			List<ConsumerRecord<byte[], byte[]>> records = StreamSupport
				.stream(consumer.poll(POLL).spliterator(), false)
				.toList();
			if (!records.isEmpty()) {
				lastProgress = System.nanoTime();
			}
			for (ConsumerRecord<byte[], byte[]> record : records) {
				TopicPartition partition = new TopicPartition(record.topic(), record.partition());
				if (!this.follow && record.offset() >= end.get(partition)) {
					continue;
				}
				out.println(line(record));
				printed++;
				if (this.count != null && printed >= this.count) {
					out.flush();
					return;
				}
			}
			out.flush();
			if (!this.follow && System.nanoTime() - lastProgress > this.kafka.timeout().toNanos()) {
				throw this.kafka.unreachable("read topic '" + this.topic + "' to its end offsets " + end.values(),
						new IllegalStateException("No progress"));
			}
		}
	}

	private boolean reachedEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
		return consumer.assignment()
			.stream()
			.allMatch((partition) -> consumer.position(partition, this.kafka.timeout()) >= end.get(partition));
	}

	private String line(ConsumerRecord<byte[], byte[]> record) {
		StringBuilder line = new StringBuilder();
		line.append(record.partition())
			.append('\t')
			.append(record.offset())
			.append('\t')
			.append(Instant.ofEpochMilli(record.timestamp()))
			.append('\t')
			.append(this.keyFormat.format(record.key()))
			.append('\t')
			.append(this.valueFormat.format(record.value()));
		if (this.printHeaders) {
			line.append('\t');
			line.append(StreamSupport.stream(record.headers().spliterator(), false)
				.map(ConsumeCommand::header)
				.collect(Collectors.joining(",")));
		}
		return line.toString();
	}

	private static String header(Header header) {
		byte[] value = header.value();
		return header.key() + "=" + ((value != null) ? new String(value, StandardCharsets.UTF_8) : RecordFormat.NULL);
	}

}
