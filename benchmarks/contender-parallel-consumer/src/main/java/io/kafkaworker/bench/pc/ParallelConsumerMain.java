package io.kafkaworker.bench.pc;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.kafkaworker.bench.probe.Probe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Confluent Parallel Consumer 0.5.3.3 on kafka-clients 3.9.x, configured to match
 * kafka-worker's defaults as closely as its options allow:
 * <ul>
 * <li>{@code ordering} KEY, PARTITION or UNORDERED ({@code bench.mode});</li>
 * <li>{@code maxConcurrency} = kafka-worker's concurrency ({@code bench.concurrency}): PC
 * runs a fixed pool of that many platform threads (0.5.3.3 has no virtual-thread
 * option);</li>
 * <li>{@code batchSize} 1: one record per call, like kafka-worker's single-record
 * handler;</li>
 * <li>{@code commitMode} PERIODIC_CONSUMER_ASYNCHRONOUS (PC's default and its fastest
 * at-least-once mode; kafka-worker also commits from its consumer thread, without
 * transactions) with {@code commitInterval} 1 s, kafka-worker's default (PC's own default
 * is 5 s; fewer commits would only help PC slightly);</li>
 * <li>everything else, including the buffer sizing (dynamic load factor), at PC's
 * defaults; the consumer uses the same client defaults as every other contender.</li>
 * </ul>
 */
public final class ParallelConsumerMain {

	private ParallelConsumerMain() {
	}

	public static void main(String[] args) {
		String contender = System.getProperty("bench.contender", "parallel-consumer");
		Probe probe = Probe.get();
		try {
			Properties properties = new Properties();
			properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("bench.bootstrap"));
			properties.put(ConsumerConfig.GROUP_ID_CONFIG, System.getProperty("bench.group"));
			properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
			properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
			properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
			properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
			KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
			ParallelConsumerOptions<String, String> options = ParallelConsumerOptions.<String, String>builder()
				.consumer(consumer)
				.ordering(ProcessingOrder.valueOf(System.getProperty("bench.mode", "KEY")))
				.maxConcurrency(Integer.getInteger("bench.concurrency", 16))
				.batchSize(1)
				.commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
				.commitInterval(Duration.ofSeconds(1))
				.build();
			ParallelStreamProcessor<String, String> processor = ParallelStreamProcessor
				.createEosStreamProcessor(options);
			processor.subscribe(List.of(System.getProperty("bench.topic")));
			processor.poll((context) -> {
				ConsumerRecord<String, String> record = context.getSingleConsumerRecord();
				probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
			});
		}
		catch (RuntimeException ex) {
			probe.failAndExit(contender, ex);
		}
		probe.awaitAndExit(contender);
	}

}
