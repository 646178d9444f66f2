package io.kafkaworker.bench.worker;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.bench.probe.Probe;
import io.kafkaworker.bench.probe.Work;
import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * kafka-worker as a user writes it: one annotated method, a single-record handler. The
 * harness chooses the mode and concurrency with {@code kafka.worker.workers.bench.*}
 * properties and leaves every other setting at its default (the buffer bounds included)
 * unless a scenario says otherwise: P4 sets {@code retry.backoff.initial=10ms} (and
 * {@code retry.max-attempts=3}, the default) so that a failing record freezes its
 * partition (the default {@code on-failure}) after 10 + 20 ms of back-off rather than
 * 1 + 2 s, and {@code retry.backoff.jitter=0}, so that those are the exact waits.
 *
 * <p>
 * With {@code -Dbench.output} (the contenders {@code worker-key-send},
 * {@code worker-key-eos}, {@code worker-parallel-eos}), the handler sends one record per
 * input record after its work, with the input's key and a small value, to
 * {@code bench.output.topic}: {@code template} through Boot's plain
 * {@code KafkaTemplate}, {@code transactional} through the worker's
 * {@code TransactionalSender} (the harness then sets {@code delivery=EXACTLY_ONCE}). In
 * both cases the handler does not wait for the broker's acknowledgement: the exactly-once
 * engine waits for its sends when it commits the transaction, and a fire-and-forget
 * {@code KafkaTemplate.send} is the at-least-once counterpart that does the same work on
 * the handler's thread. The send is inside the probe's window (between its begin and
 * end).
 */
@SpringBootApplication
public class KafkaWorkerMain {

	private static final String OUTPUT = System.getProperty("bench.output", "");

	private static final String OUTPUT_TOPIC = System.getProperty("bench.output.topic", "");

	private final Probe probe = Probe.get();

	private final ObjectProvider<KafkaTemplate<?, ?>> templates;

	private final ObjectProvider<TransactionalSender> transactionalSenders;

	private KafkaTemplate<Object, Object> template;

	private TransactionalSender transactionalSender;

	public KafkaWorkerMain(ObjectProvider<KafkaTemplate<?, ?>> templates,
			ObjectProvider<TransactionalSender> transactionalSenders) {
		this.templates = templates;
		this.transactionalSenders = transactionalSenders;
	}

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
		if (OUTPUT.isEmpty() || this.probe.fails(record.partition(), record.offset())) {
			this.probe.handle(record.partition(), record.offset(), record.timestamp(), record.key());
			return;
		}
		int flags = this.probe.begin(record.partition(), record.offset(), record.timestamp(), record.key());
		Work.perform();
		String value = "out-" + record.offset();
		if ("transactional".equals(OUTPUT)) {
			transactionalSender().send(OUTPUT_TOPIC, record.key(), value);
		}
		else {
			template().send(OUTPUT_TOPIC, record.key(), value);
		}
		this.probe.end(flags);
	}

	@SuppressWarnings("unchecked")
	private KafkaTemplate<Object, Object> template() {
		KafkaTemplate<Object, Object> current = this.template;
		if (current == null) {
			current = (KafkaTemplate<Object, Object>) this.templates.getObject();
			this.template = current;
		}
		return current;
	}

	private TransactionalSender transactionalSender() {
		TransactionalSender current = this.transactionalSender;
		if (current == null) {
			current = this.transactionalSenders.getObject();
			this.transactionalSender = current;
		}
		return current;
	}

}
