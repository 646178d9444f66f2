package io.kafkaworker.bench.pc;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.confluent.parallelconsumer.PCRetriableException;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.kafkaworker.bench.probe.FailingRecordException;
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
 *
 * <p>
 * Failures (P4, where {@code bench.retry.initial.ms} is set): PC 0.5.3.3 retries a failed
 * record forever (it has no terminal-failure option). A {@code retryDelayProvider} waits
 * {@code bench.retry.initial.ms} (10 ms, kafka-worker's first back-off in P4) after the
 * first failure, growing by {@code bench.retry.multiplier} up to {@code bench.retry.max.ms}
 * (1 s, PC's own default delay): its first retries are as quick as kafka-worker's, and a
 * record that keeps failing is retried as often as PC's default would. The handler throws
 * {@link PCRetriableException}, PC's documented way to say a failure is expected and
 * retriable, which PC logs at DEBUG; any other exception is logged at ERROR with its stack
 * trace on every attempt.
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
			ParallelConsumerOptions.ParallelConsumerOptionsBuilder<String, String> builder = ParallelConsumerOptions
				.<String, String>builder()
				.consumer(consumer)
				.ordering(ProcessingOrder.valueOf(System.getProperty("bench.mode", "KEY")))
				.maxConcurrency(Integer.getInteger("bench.concurrency", 16))
				.batchSize(1)
				.commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
				.commitInterval(Duration.ofSeconds(1));
			Long retryInitialMs = Long.getLong("bench.retry.initial.ms");
			if (retryInitialMs != null) {
				double multiplier = Double.parseDouble(System.getProperty("bench.retry.multiplier", "2"));
				long maxMs = Long.getLong("bench.retry.max.ms", 1000);
				builder.retryDelayProvider((context) -> {
					int failures = Math.max(1, context.getNumberOfFailedAttempts());
					double delay = retryInitialMs * Math.pow(multiplier, Math.min(failures - 1, 30));
					return Duration.ofMillis((long) Math.min(delay, maxMs));
				});
			}
			ParallelConsumerOptions<String, String> options = builder.build();
			ParallelStreamProcessor<String, String> processor = ParallelStreamProcessor
				.createEosStreamProcessor(options);
			processor.subscribe(List.of(System.getProperty("bench.topic")));
			processor.poll((context) -> {
				ConsumerRecord<String, String> record = context.getSingleConsumerRecord();
				try {
					probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
				}
				catch (FailingRecordException ex) {
					throw new PCRetriableException(ex);
				}
			});
		}
		catch (RuntimeException ex) {
			probe.failAndExit(contender, ex);
		}
		probe.awaitAndExit(contender);
	}

}
