package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.intercept.WorkerCall;
import io.kafkaworker.intercept.WorkerInterceptor;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interceptor beans on a real broker: called on the lane thread around each attempt, in
 * their order, with the record's coordinates in the MDC; one restricted to another worker
 * is never called; the access log writes a line per attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
class InterceptorIntegrationTests {

	@Test
	void interceptorsRunInOrderAroundEachAttemptAndTheAccessLogWritesALineEach(CapturedOutput output) {
		String topic = Broker.uniqueName("intercept");
		Broker.createTopic(topic, 1);
		Broker.produce(topic, 3, (i) -> new String[] { "key-" + i, (i == 1) ? "flaky" : "ok" });
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(InterceptedApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.intercepted.group-id=" + topic,
					"--kafka.worker.workers.intercepted.retry.backoff.initial=10ms",
					"--kafka.worker.access-log.enabled=true")) {
			Queue<String> calls = context.getBean(InterceptedApplication.class).calls;
			await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() >= 16);
			assertThat(List.copyOf(calls)).containsExactly("first.before 0#1 mdc=" + topic + "-0@0",
					"second.before 0#1 mdc=" + topic + "-0@0", "first.after 0#1", "second.after 0#1",
					"first.before 1#1 mdc=" + topic + "-0@1", "second.before 1#1 mdc=" + topic + "-0@1",
					"first.failed 1#1 flaky", "second.failed 1#1 flaky", "first.before 1#2 mdc=" + topic + "-0@1",
					"second.before 1#2 mdc=" + topic + "-0@1", "first.after 1#2", "second.after 1#2",
					"first.before 2#1 mdc=" + topic + "-0@2", "second.before 2#1 mdc=" + topic + "-0@2",
					"first.after 2#1", "second.after 2#1");
		}
		assertThat(output.getOut()).contains("worker=intercepted record=" + topic + "-0@1 key=key-1 attempt=1 took=")
			.contains("outcome=failed error=java.lang.IllegalStateException: flaky")
			.contains("worker=intercepted record=" + topic + "-0@1 key=key-1 attempt=2 took=");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class InterceptedApplication {

		final Queue<String> calls = new ConcurrentLinkedQueue<>();

		private final Queue<String> flakyAttempts = new ConcurrentLinkedQueue<>();

		@KafkaBatchWorker(id = "intercepted", topics = "${test.topic}", mode = Mode.SERIAL)
		public void handle(ConsumerRecord<String, String> record) {
			if (record.value().equals("flaky") && this.flakyAttempts.isEmpty()) {
				this.flakyAttempts.add("failed once");
				throw new IllegalStateException("flaky");
			}
		}

		@Bean
		@Order(2)
		WorkerInterceptor second() {
			return new Recording("second", this.calls);
		}

		@Bean
		@Order(1)
		WorkerInterceptor first() {
			return new Recording("first", this.calls);
		}

		@Bean
		WorkerInterceptor elsewhere() {
			return new WorkerInterceptor() {

				@Override
				public boolean appliesTo(String workerId) {
					return workerId.equals("another-worker");
				}

				@Override
				public void before(WorkerCall call) {
					InterceptedApplication.this.calls.add("elsewhere.before");
				}

			};
		}

	}

	record Recording(String name, Queue<String> calls) implements WorkerInterceptor {

		@Override
		public void before(WorkerCall call) {
			this.calls.add(this.name + ".before " + call.records().get(0).offset() + "#" + call.attempt() + " mdc="
					+ MDC.get("kafka.topic") + "-" + MDC.get("kafka.partition") + "@" + MDC.get("kafka.offset"));
		}

		@Override
		public void after(WorkerCall call, Duration took) {
			this.calls.add(this.name + ".after " + call.records().get(0).offset() + "#" + call.attempt());
		}

		@Override
		public void failed(WorkerCall call, Throwable failure, Duration took) {
			this.calls.add(this.name + ".failed " + call.records().get(0).offset() + "#" + call.attempt() + " "
					+ failure.getMessage());
		}

	}

}
