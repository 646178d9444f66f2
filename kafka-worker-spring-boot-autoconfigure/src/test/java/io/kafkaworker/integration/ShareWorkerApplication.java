package io.kafkaworker.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.runtime.WorkerObserver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * A share-group worker: sleeps a while per record, fails records whose value starts with
 * {@code fail}, and notes each attempt (instance, value, delivery count) in memory and,
 * when {@code test.handled-file} is set, a line per handled record in that file.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ShareWorkerApplication {

	/** Every attempt in this JVM, by value: instance and delivery count. */
	static final Map<String, List<String>> ATTEMPTS = new ConcurrentHashMap<>();

	/**
	 * Every acknowledgement in this JVM, as {@code instance:type}. Meters cannot tell
	 * what a graceful stop acknowledged: Boot closes the registries when the context
	 * closes, before the workers drain.
	 */
	static final List<String> ACKNOWLEDGEMENTS = new CopyOnWriteArrayList<>();

	public static void main(String[] args) {
		new SpringApplicationBuilder(ShareWorkerApplication.class).web(WebApplicationType.NONE).run(args);
	}

	@Bean
	WorkerObserver acknowledgements(@Value("${test.instance:main}") String instance) {
		return new WorkerObserver() {

			@Override
			public void shareAcknowledged(String workerId, String topic, String type, int deliveryCount) {
				ACKNOWLEDGEMENTS.add(instance + ":" + type);
			}

		};
	}

	@Bean
	ShareWorker shareWorker(@Value("${test.instance:main}") String instance,
			@Value("${test.sleep-millis:10}") long sleepMillis, @Value("${test.handled-file:}") String handledFile) {
		return new ShareWorker(instance, sleepMillis, handledFile.isEmpty() ? null : Path.of(handledFile));
	}

	public static final class ShareWorker {

		private final String instance;

		private final long sleepMillis;

		private final @Nullable Path handledFile;

		ShareWorker(String instance, long sleepMillis, @Nullable Path handledFile) {
			this.instance = instance;
			this.sleepMillis = sleepMillis;
			this.handledFile = handledFile;
		}

		@KafkaBatchWorker(id = "share-worker", topics = "${test.topic}", mode = Mode.PARALLEL, shareGroup = "true")
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			String value = record.value();
			ATTEMPTS.computeIfAbsent(value, (key) -> new CopyOnWriteArrayList<>())
				.add(this.instance + ":" + record.deliveryCount().orElse((short) 0) + ":" + System.nanoTime());
			Thread.sleep(this.sleepMillis);
			if (value.startsWith("fail")) {
				throw new IllegalStateException("Cannot handle " + value);
			}
			if (this.handledFile != null) {
				try {
					Files.writeString(this.handledFile, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
							StandardOpenOption.APPEND);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}

	}

}
