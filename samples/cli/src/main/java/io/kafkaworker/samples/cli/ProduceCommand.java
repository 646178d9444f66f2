package io.kafkaworker.samples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code produce}: go-kafka's {@code -produce}. It sends the value given, or one record
 * per line of standard input, waits for the broker's acknowledgment of each, and prints
 * where it was written, {@code partition@offset}.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
		description = { "Send a record, or one record per line of standard input when no value is given, "
				+ "and print partition@offset once the broker acknowledged it." })
public class ProduceCommand implements Callable<Integer> {

	private final KafkaClients kafka;

	private final CliConsole console;

	@Spec
	private CommandSpec spec;

	@Parameters(index = "0", paramLabel = "TOPIC", description = "The topic.")
	private String topic = "";

	@Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
			description = "The value, as UTF-8 (default: read records from standard input).")
	private @Nullable String value;

	@Option(names = { "-k", "--key" }, paramLabel = "KEY",
			description = "The key, as UTF-8 (default: none, the producer spreads the records).")
	private @Nullable String key;

	@Option(names = { "-H", "--header" }, paramLabel = "KEY=VALUE", description = "A header; repeatable.")
	private List<String> headers = List.of();

	@Option(names = { "-p", "--partition" }, paramLabel = "P",
			description = "The partition (default: the producer's partitioner's choice).")
	private @Nullable Integer partition;

	@Option(names = "--key-separator", paramLabel = "SEPARATOR", arity = "0..1", fallbackValue = "\t",
			description = "Read each line of standard input as KEY<SEPARATOR>VALUE (the separator alone: a tab); "
					+ "a line without it is a value with --key.")
	private @Nullable String keySeparator;

	ProduceCommand(KafkaClients kafka, CliConsole console) {
		this.kafka = kafka;
		this.console = console;
	}

	@Override
	public Integer call() {
		RecordHeaders recordHeaders = headers();
		this.kafka.requireTopic(this.topic);
		try (Producer<byte[], byte[]> producer = this.kafka.producer()) {
			if (this.value != null) {
				send(producer, this.key, this.value, recordHeaders);
			}
			else {
				sendLines(producer, recordHeaders);
			}
		}
		return 0;
	}

	private void sendLines(Producer<byte[], byte[]> producer, RecordHeaders recordHeaders) {
		BufferedReader lines = new BufferedReader(new InputStreamReader(this.console.in(), StandardCharsets.UTF_8));
		try {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				int separator = (this.keySeparator != null && !this.keySeparator.isEmpty())
						? line.indexOf(this.keySeparator) : -1;
				if (separator >= 0) {
					send(producer, line.substring(0, separator), line.substring(separator + this.keySeparator.length()),
							recordHeaders);
				}
				else {
					send(producer, this.key, line, recordHeaders);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read standard input", ex);
		}
	}

	// One record at a time, acknowledged before the next: the output says where each
	// line went, in order, and a failure stops at the line that failed.
	private void send(Producer<byte[], byte[]> producer, @Nullable String recordKey, String recordValue,
			RecordHeaders recordHeaders) {
		ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(this.topic, this.partition, null,
				(recordKey != null) ? recordKey.getBytes(StandardCharsets.UTF_8) : null,
				recordValue.getBytes(StandardCharsets.UTF_8), recordHeaders);
		RecordMetadata written = this.kafka.await(producer.send(record), "send a record to topic '" + this.topic + "'");
		this.console.out().println(written.partition() + "@" + written.offset());
		this.console.out().flush();
	}

	private RecordHeaders headers() {
		RecordHeaders recordHeaders = new RecordHeaders();
		for (String header : this.headers) {
			int equals = header.indexOf('=');
			if (equals <= 0) {
				throw new ParameterException(this.spec.commandLine(), "Invalid header '" + header + "': use KEY=VALUE");
			}
			recordHeaders.add(header.substring(0, equals),
					header.substring(equals + 1).getBytes(StandardCharsets.UTF_8));
		}
		return recordHeaders;
	}

}
