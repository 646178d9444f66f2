package io.kafkaworker.samples.quickstart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what a seeded quickstart run left on the broker, reading both topics with a
 * plain {@link KafkaConsumer}: every input record has exactly one output record with the
 * same key and the value {@code <partition>:<offset>:<value>} of the input, and each
 * key's outputs are in the key's sequence order.
 */
final class QuickstartOutput {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private QuickstartOutput() {
	}

	/**
	 * Assert that a seeded run processed every record once, in order per key.
	 * @param bootstrapServers the broker
	 * @param records the records seeded ({@code demo.seed})
	 * @param keys the keys seeded ({@code demo.keys}), dividing {@code records}
	 */
	static void assertEveryRecordProcessedOnceInKeyOrder(String bootstrapServers, int records, int keys) {
		List<ConsumerRecord<String, String>> inputs = readAll(bootstrapServers, QuickstartApplication.ORDERS_TOPIC);
		List<ConsumerRecord<String, String>> outputs = readAll(bootstrapServers, QuickstartApplication.PROCESSED_TOPIC);
		assertThat(inputs).as("records on %s", QuickstartApplication.ORDERS_TOPIC).hasSize(records);
		assertThat(outputs).as("records on %s", QuickstartApplication.PROCESSED_TOPIC).hasSize(records);
		Map<String, ConsumerRecord<String, String>> inputsByPosition = new HashMap<>();
		inputs.forEach((input) -> inputsByPosition.put(input.partition() + ":" + input.offset(), input));
		Map<String, String> outputPositions = new HashMap<>();
		for (ConsumerRecord<String, String> output : outputs) {
			String[] parts = output.value().split(":");
			assertThat(parts).as("output value %s", output.value()).hasSize(3);
			String position = parts[0] + ":" + parts[1];
			ConsumerRecord<String, String> input = inputsByPosition.get(position);
			assertThat(input).as("input at %s named by output %s", position, output.value()).isNotNull();
			assertThat(output.key()).as("key of output %s", output.value()).isEqualTo(input.key());
			assertThat(parts[2]).as("original value in output %s", output.value()).isEqualTo(input.value());
			String previous = outputPositions.put(position, output.value());
			assertThat(previous).as("a second output for input %s", position).isNull();
		}
		List<Integer> sequence = IntStream.range(0, records / keys).boxed().toList();
		assertThat(valuesByKey(inputs, ConsumerRecord::value)).as("seeded values by key")
			.hasSize(keys)
			.allSatisfy((key, values) -> assertThat(values).isEqualTo(sequence));
		Map<String, List<Integer>> outputValuesByKey = valuesByKey(outputs, (output) -> output.value().split(":")[2]);
		assertThat(outputValuesByKey).as("keys with output").hasSize(keys);
		outputValuesByKey.forEach((key, values) -> assertThat(values).as("original values of %s in output order", key)
			.isEqualTo(sequence));
	}

	// A key's records are all on one partition, so offset order is the order they
	// were written in.
	private static Map<String, List<Integer>> valuesByKey(List<ConsumerRecord<String, String>> records,
			Function<ConsumerRecord<String, String>, String> value) {
		Map<String, List<Integer>> valuesByKey = new LinkedHashMap<>();
		records.stream()
			.sorted(Comparator.comparingInt(ConsumerRecord<String, String>::partition)
				.thenComparingLong(ConsumerRecord::offset))
			.forEach((record) -> valuesByKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
				.add(Integer.valueOf(value.apply(record))));
		return valuesByKey;
	}

	/**
	 * Read every record of a topic, from the beginning to the current end.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @return the records, partition by partition
	 */
	static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (partitions.stream()
				.anyMatch((partition) -> consumer.position(partition) < endOffsets.get(partition))) {
				assertThat(System.nanoTime()).as("still reading %s after %s", topic, READ_TIMEOUT).isLessThan(deadline);
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

}
