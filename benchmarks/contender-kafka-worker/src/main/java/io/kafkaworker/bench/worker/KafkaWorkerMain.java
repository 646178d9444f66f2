package io.kafkaworker.bench.worker;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.bench.probe.Probe;
import io.kafkaworker.bench.probe.Work;
import io.kafkaworker.state.TableRow;
import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
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
 *
 * <p>
 * With {@code -Dbench.table=true} (P7: {@code worker-key-table},
 * {@code worker-key-table-eos}) the application's worker is {@link TableCounter} instead:
 * the same work, then the record's key counted in the worker's group table through a
 * {@code TableRow<Long>} parameter.
 *
 * <p>
 * In a fleet (several JVMs in one group, {@code -Dbench.fleet.dir}) the worker starts
 * only when the harness starts every member. With {@code share-group=true} (P8's
 * {@code worker-parallel-share}) it consumes through a share group.
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
			ConfigurableApplicationContext context = application.run(args);
			if (probe.inFleet()) {
				// One of several JVMs in one group: the harness set auto-startup=false,
				// and starts every member's worker together.
				probe.awaitFleetStart();
				context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("bench").start();
			}
		}
		catch (RuntimeException ex) {
			probe.failAndExit("kafka-worker", ex);
		}
		probe.awaitAndExit(System.getProperty("bench.contender", "kafka-worker"));
	}

	/**
	 * P7's stateful worker: a per-key counter in the group table {@code <group>-table}.
	 * @return the worker
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.table", havingValue = "true")
	TableCounter tableCounter() {
		return new TableCounter();
	}

	/**
	 * The stateless worker (every scenario but P7's stateful contenders).
	 * @return the worker
	 */
	@Bean
	@ConditionalOnProperty(name = "bench.table", havingValue = "false", matchIfMissing = true)
	Stateless stateless() {
		return new Stateless(this);
	}

	/**
	 * The stateless handler: the probe, the work, and the output record if any.
	 */
	public static class Stateless {

		private final KafkaWorkerMain main;

		Stateless(KafkaWorkerMain main) {
			this.main = main;
		}

		/**
		 * Handle a record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "bench", topics = "${bench.topic}", groupId = "${bench.group}")
		public void handle(ConsumerRecord<String, String> record) {
			this.main.handle(record);
		}

	}

	/**
	 * A per-key counter: the work, then the key's row of the group table incremented.
	 * KEY mode only (the harness sets it); delivery AT_LEAST_ONCE or EXACTLY_ONCE.
	 */
	public static class TableCounter {

		private final Probe probe = Probe.get();

		/**
		 * Handle a record and count it.
		 * @param record the record
		 * @param count the row of the record's key
		 */
		@KafkaBatchWorker(id = "bench", topics = "${bench.topic}", groupId = "${bench.group}")
		public void count(ConsumerRecord<String, String> record, TableRow<Long> count) {
			int flags = this.probe.begin(record.partition(), record.offset(), record.timestamp(), record.key());
			Work.perform();
			count.set(count.getOrDefault(0L) + 1);
			this.probe.end(flags);
		}

	}

	void handle(ConsumerRecord<String, String> record) {
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
