package io.kafkaworker.bench.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.kafkaworker.bench.probe.Probe;
import io.kafkaworker.bench.probe.Work;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Kafka Streams' per-key counter, what a user would pick instead of kafka-worker's group
 * table: {@code stream(topic).processValues(work).groupByKey().count()}.
 *
 * <p>
 * The work step is a {@code processValues} (a {@code peek} that can read the record's
 * partition and offset, which the probe needs): the probe's begin, the work, the record
 * forwarded, so that the count (a RocksDB store behind Kafka Streams' record cache, with
 * its changelog topic) is updated inside the probe's window, and the probe's end.
 * {@code groupByKey} keeps the input's key, so there is no repartition topic.
 *
 * <p>
 * {@code application.id} is the harness's fresh group; {@code num.stream.threads} is
 * {@code bench.streams.threads} (the harness passes the partition count: one task per
 * partition, so more threads would stay idle); everything else at Kafka Streams' defaults
 * (at_least_once, commit interval 30 s, a 10 MB record cache), except
 * {@code auto.offset.reset=earliest} and a state directory under the run's work
 * directory.
 */
public final class KafkaStreamsMain {

	private KafkaStreamsMain() {
	}

	public static void main(String[] args) throws IOException {
		Probe probe = Probe.get();
		String contender = System.getProperty("bench.contender", "kafka-streams");
		try {
			Properties properties = new Properties();
			properties.put(StreamsConfig.APPLICATION_ID_CONFIG, System.getProperty("bench.group"));
			properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("bench.bootstrap"));
			properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.streams.threads", 1));
			properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
					System.getProperty("bench.streams.guarantee", StreamsConfig.AT_LEAST_ONCE));
			properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory(contender).toString());
			properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
			StreamsBuilder builder = new StreamsBuilder();
			builder.stream(System.getProperty("bench.topic"), Consumed.with(Serdes.String(), Serdes.String()))
				.processValues(Handler::new)
				.groupByKey()
				.count(Materialized.as("counts"));
			KafkaStreams streams = new KafkaStreams(builder.build(), properties);
			streams.setUncaughtExceptionHandler((ex) -> {
				probe.failAndExit(contender, ex);
				return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
			});
			streams.start();
		}
		catch (RuntimeException ex) {
			probe.failAndExit(contender, ex);
		}
		probe.awaitAndExit(contender);
	}

	// Next to the probe's result file: in the run's work directory (git-ignored).
	private static Path stateDirectory(String contender) throws IOException {
		String resultFile = System.getProperty("bench.result.file");
		Path directory = (resultFile != null)
				? Path.of(resultFile).toAbsolutePath().getParent().resolve(contender + "-state")
				: Files.createTempDirectory("bench-streams-");
		return Files.createDirectories(directory);
	}

	/**
	 * The probe and the work around the record's way into the count.
	 */
	private static final class Handler implements FixedKeyProcessor<String, String, String> {

		private final Probe probe = Probe.get();

		private FixedKeyProcessorContext<String, String> context;

		@Override
		public void init(FixedKeyProcessorContext<String, String> context) {
			this.context = context;
		}

		@Override
		public void process(FixedKeyRecord<String, String> record) {
			RecordMetadata metadata = this.context.recordMetadata().orElseThrow();
			int flags = this.probe.begin(metadata.partition(), metadata.offset(), record.timestamp(), record.key());
			Work.perform();
			this.context.forward(record);
			this.probe.end(flags);
		}

	}

}
