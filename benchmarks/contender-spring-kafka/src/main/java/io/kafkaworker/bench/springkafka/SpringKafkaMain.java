package io.kafkaworker.bench.springkafka;

import java.util.List;

import io.kafkaworker.bench.probe.Probe;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A plain Spring Kafka batch listener, as a user writes it without kafka-worker: the
 * harness sets {@code spring.kafka.listener.type=batch} and
 * {@code spring.kafka.listener.concurrency} to the partition count, so each partition is
 * handled serially by its own container thread, which commits after each batch (the
 * default BATCH ack mode).
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
		for (ConsumerRecord<String, String> record : records) {
			this.probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
		}
	}

}
