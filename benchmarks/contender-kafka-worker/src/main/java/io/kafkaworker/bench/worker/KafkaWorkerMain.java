package io.kafkaworker.bench.worker;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.bench.probe.Probe;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * kafka-worker as a user writes it: one annotated method, a single-record handler. The
 * harness chooses the mode and concurrency with {@code kafka.worker.workers.bench.*}
 * properties and leaves every other setting at its default (the buffer bounds included)
 * unless a scenario says otherwise: P4 sets {@code retry.backoff.initial=10ms} (and
 * {@code retry.max-attempts=3}, the default) so that a failing record freezes its
 * partition (the default {@code on-failure}) after 10 + 20 ms of back-off rather than
 * 1 + 2 s.
 */
@SpringBootApplication
public class KafkaWorkerMain {

	private final Probe probe = Probe.get();

	public static void main(String[] args) {
		Probe probe = Probe.get();
		try {
			SpringApplication application = new SpringApplication(KafkaWorkerMain.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.run(args);
		}
		catch (RuntimeException ex) {
			probe.failAndExit("kafka-worker", ex);
		}
		probe.awaitAndExit(System.getProperty("bench.contender", "kafka-worker"));
	}

	@KafkaBatchWorker(id = "bench", topics = "${bench.topic}", groupId = "${bench.group}")
	public void handle(ConsumerRecord<String, String> record) {
		this.probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
	}

}
