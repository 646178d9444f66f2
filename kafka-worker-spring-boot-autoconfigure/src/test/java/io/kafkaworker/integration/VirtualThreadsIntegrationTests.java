package io.kafkaworker.integration;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.ContractRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code spring.threads.virtual.enabled=true} on Java 21+, lanes run on virtual
 * threads, so a KEY worker on one partition runs hundreds of blocking handlers at once.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
class VirtualThreadsIntegrationTests {

	private static final int RECORDS = 3_000;

	private static final int CONCURRENCY = 500;

	@Test
	void lanesRunOnVirtualThreadsFarBeyondThePartitionCount() throws Exception {
		String topic = Broker.uniqueName("virtual");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + i, Integer.toString(i) });
		ContractRecorder recorder = new ContractRecorder(Mode.KEY, CONCURRENCY, true);
		Method isVirtual = Thread.class.getMethod("isVirtual");
		Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(VirtualApp.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> {
				ctx.getBeanFactory().registerSingleton("recorder", recorder);
				ctx.getBeanFactory().registerSingleton("virtualThreads", virtual);
			})
			.run("--spring.threads.virtual.enabled=true",
					"--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.sleepy.mode=KEY",
					"--kafka.worker.workers.sleepy.concurrency=" + CONCURRENCY,
					"--kafka.worker.workers.sleepy.group-id=" + topic)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> recorder.distinctHandled() == RECORDS);
		}
		assertThat(recorder.violations()).isEmpty();
		assertThat(virtual).containsExactly(true);
		assertThat(recorder.maxActive()).as("handlers at once on one partition").isGreaterThan(100);
		assertThat(isVirtual).isNotNull();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class VirtualApp {

		@Bean
		SleepyWorker sleepyWorker(ContractRecorder recorder, Set<Boolean> virtualThreads) {
			return new SleepyWorker(recorder, virtualThreads);
		}

	}

	public static class SleepyWorker {

		private final ContractRecorder recorder;

		private final Set<Boolean> virtualThreads;

		SleepyWorker(ContractRecorder recorder, Set<Boolean> virtualThreads) {
			this.recorder = recorder;
			this.virtualThreads = virtualThreads;
		}

		@KafkaBatchWorker(id = "sleepy", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) throws Exception {
			this.recorder.enter(List.of(record));
			this.virtualThreads.add((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
			Thread.sleep(50);
			this.recorder.exit(List.of(record));
		}

	}

}
