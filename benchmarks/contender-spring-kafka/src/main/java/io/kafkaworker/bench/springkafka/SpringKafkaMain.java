package io.kafkaworker.bench.springkafka;

import java.util.List;

import io.kafkaworker.bench.probe.Probe;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A plain Spring Kafka batch listener, as a user writes it without kafka-worker: the
 * harness sets {@code spring.kafka.listener.type=batch} and
 * {@code spring.kafka.listener.concurrency} to the partition count, so each partition is
 * handled serially by its own container thread, which commits after each batch (the
 * default BATCH ack mode).
 *
 * <p>
 * Failures (P4, where {@code bench.fail.partition} is set): the listener throws
 * {@link BatchListenerFailedException} with the failed record's index, Spring Kafka's way
 * for a batch listener to say which record failed, so that the records before it are
 * committed and the batch is retried from it. Spring Kafka's default
 * {@code DefaultErrorHandler} would retry 9 times without waiting and then log the record
 * and skip it; to honour the same contract as the others (the partition never moves past
 * a failed record) the error handler here retries forever with an exponential back-off
 * from {@code bench.retry.initial.ms} (10 ms) growing by {@code bench.retry.multiplier}
 * up to {@code bench.retry.max.ms} (1 s). It sleeps on the container thread of the
 * failing partition only: every partition has its own container thread here.
 */
@SpringBootApplication
public class SpringKafkaMain {

	private final Probe probe = Probe.get();

	public static void main(String[] args) {
		Probe probe = Probe.get();
		try {
			SpringApplication application = new SpringApplication(SpringKafkaMain.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.run(args);
		}
		catch (RuntimeException ex) {
			probe.failAndExit("spring-kafka", ex);
		}
		probe.awaitAndExit("spring-kafka");
	}

	@KafkaListener(id = "bench", topics = "${bench.topic}", groupId = "${bench.group}")
	public void onBatch(List<ConsumerRecord<String, String>> records) {
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<String, String> record = records.get(i);
			try {
				this.probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException("Record " + record.partition() + "@" + record.offset()
						+ " failed", ex, i);
			}
		}
	}

	@Bean
	@ConditionalOnProperty("bench.fail.partition")
	CommonErrorHandler blockingErrorHandler(Environment environment) {
		ExponentialBackOff backOff = new ExponentialBackOff(
				environment.getProperty("bench.retry.initial.ms", Long.class, 10L),
				environment.getProperty("bench.retry.multiplier", Double.class, 2.0));
		backOff.setMaxInterval(environment.getProperty("bench.retry.max.ms", Long.class, 1000L));
		backOff.setMaxElapsedTime(Long.MAX_VALUE);
		return new DefaultErrorHandler(backOff);
	}

}
