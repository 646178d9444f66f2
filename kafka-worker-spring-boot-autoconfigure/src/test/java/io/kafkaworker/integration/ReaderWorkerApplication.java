package io.kafkaworker.integration;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.event.ReaderFinishedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A KEY-mode worker of {@code test.topic} that the tests turn into a reader
 * ({@code kafka.worker.workers.reader.reader.*}). It records each record it handled and
 * the reader's finished events; values starting with {@code poison:} always fail.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReaderWorkerApplication {

	@Bean
	ReadingWorker readingWorker() {
		return new ReadingWorker();
	}

	/**
	 * Start the application (in a child JVM, by the exit test).
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(ReaderWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	/**
	 * Records what it reads.
	 */
	public static class ReadingWorker {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		final List<ReaderFinishedEvent> finished = new CopyOnWriteArrayList<>();

		/**
		 * Read a record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "reader", topics = "${test.topic}", mode = Mode.KEY)
		public void read(ConsumerRecord<String, String> record) {
			if (record.value().startsWith("poison:")) {
				throw new IllegalStateException("poison at " + record.partition() + "@" + record.offset());
			}
			this.handled.add(record.partition() + "@" + record.offset());
		}

		@EventListener
		void finished(ReaderFinishedEvent event) {
			this.finished.add(event);
		}

	}

}
