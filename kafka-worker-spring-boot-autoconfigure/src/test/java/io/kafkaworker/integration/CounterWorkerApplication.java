package io.kafkaworker.integration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.state.TableRow;
import io.kafkaworker.transaction.TransactionalSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A stateful KEY-mode worker: counts each key's records in its group table. With
 * {@code test.outputs=true} (exactly-once) it also sends {@code key=count} to
 * {@code <topic>.out} in the worker's transaction. Values starting with {@code flaky:}
 * fail their first two attempts after changing the row (and sending), so the change of a
 * failed attempt must never reach the table. {@code test.work-ms} makes each record take
 * that long before it counts.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CounterWorkerApplication {

	@Bean
	CounterWorker counterWorker(TransactionalSender sender, @Value("${test.topic}") String topic,
			@Value("${test.outputs:false}") boolean outputs, @Value("${test.work-ms:0}") long workMillis) {
		return new CounterWorker(outputs ? sender : null, topic + ".out", workMillis);
	}

	/**
	 * Start the application (in a child JVM, by the crash test).
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(CounterWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Counts records per key.
	 */
	public static class CounterWorker {

		private final TransactionalSender sender;

		private final String outputTopic;

		private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

		private final long workMillis;

		CounterWorker(TransactionalSender sender, String outputTopic, long workMillis) {
			this.sender = sender;
			this.outputTopic = outputTopic;
			this.workMillis = workMillis;
		}

		/**
		 * Count a record.
		 * @param record the record
		 * @param count the key's count so far
		 */
		@KafkaBatchWorker(id = "counter", topics = "${test.topic}", mode = Mode.KEY)
		public void count(ConsumerRecord<String, String> record, TableRow<Long> count) throws InterruptedException {
			if (this.workMillis > 0) {
				Thread.sleep(this.workMillis);
			}
			long next = count.getOrDefault(0L) + 1;
			count.set(next);
			if (this.sender != null) {
				this.sender.send(this.outputTopic, record.key(), record.key() + "=" + next);
			}
			String coordinates = record.partition() + "@" + record.offset();
			if (record.value().startsWith("flaky:") && this.attempts.merge(coordinates, 1, Integer::sum) <= 2) {
				throw new IllegalStateException("Flaky record " + coordinates + " fails after counting " + next);
			}
		}

	}

}
