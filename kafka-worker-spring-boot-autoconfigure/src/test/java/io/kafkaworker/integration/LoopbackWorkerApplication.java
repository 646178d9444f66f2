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
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * goka's loopback with a group table: a KEY-mode worker of {@code <topic>} and
 * {@code <topic>-loop}. A record of the input (value {@code [flaky:]<other key>}) adds 1
 * to its own key's row and loops a record keyed by the other key, which adds 1000 to that
 * key's row. A key's records of the two topics run on lanes of their own, so each row has
 * two writers, which the worker's row locks must keep apart: the handler reads, waits a
 * moment and writes, so a race would lose updates. Flaky records fail their first two
 * attempts after changing the row and looping.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LoopbackWorkerApplication {

	@Bean
	LoopbackWorker loopbackWorker(TransactionalSender sender, @Value("${test.topic}") String topic) {
		return new LoopbackWorker(sender, topic + "-loop");
	}

	/**
	 * Adds its records up per key, looping one record per input record.
	 */
	public static class LoopbackWorker {

		private final TransactionalSender sender;

		private final String loopTopic;

		private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

		LoopbackWorker(TransactionalSender sender, String loopTopic) {
			this.sender = sender;
			this.loopTopic = loopTopic;
		}

		/**
		 * Add a record to its key's total.
		 * @param record an input or a looped record
		 * @param total the key's total so far
		 * @throws InterruptedException if interrupted while widening the race window
		 */
		@KafkaBatchWorker(id = "loopback", topics = { "${test.topic}", "${test.topic}-loop" }, mode = Mode.KEY)
		public void add(ConsumerRecord<String, String> record, TableRow<Long> total) throws InterruptedException {
			long before = total.getOrDefault(0L);
			Thread.sleep(1);
			if (record.topic().equals(this.loopTopic)) {
				total.set(before + 1000);
				return;
			}
			total.set(before + 1);
			String other = record.value().substring(record.value().indexOf(':') + 1);
			this.sender.send(this.loopTopic, other, "from:" + record.key());
			String coordinates = record.partition() + "@" + record.offset();
			if (record.value().startsWith("flaky:") && this.attempts.merge(coordinates, 1, Integer::sum) <= 2) {
				throw new IllegalStateException("Flaky record " + coordinates + " fails after looping to " + other);
			}
		}

	}

}
