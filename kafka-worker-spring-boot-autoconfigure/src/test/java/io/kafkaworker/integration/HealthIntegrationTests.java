package io.kafkaworker.integration;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.CommandLineArguments;
import io.kafkaworker.testsupport.FailureRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers' health through Spring Boot's health endpoint and its probe groups, on a
 * real broker (or on none, for the unreachable case).
 */
@ExtendWith(OutputCaptureExtension.class)
class HealthIntegrationTests {

	private static final String WORKER = "healthy";

	private final FailureRecorder recorder = new FailureRecorder();

	private final BlockingHandler blocking = new BlockingHandler();

	private String topic;

	@BeforeEach
	void createTopic() {
		this.topic = Broker.uniqueName("health");
		Broker.createTopic(this.topic, 2);
	}

	@AfterEach
	void release() {
		this.blocking.release.countDown();
	}

	@Test
	void readinessIncludesTheWorkersAndIsUpOnceTheyJoinedThenDownAtShutdown() {
		ReadinessAtShutdown atShutdown = new ReadinessAtShutdown();
		try (ConfigurableApplicationContext context = start(this.recorder::handle, atShutdown)) {
			atShutdown.health = context.getBean(HealthEndpoint.class);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(probe(context, "readiness").getStatus()).isEqualTo(Status.UP));
			CompositeHealthDescriptor readiness = probe(context, "readiness");
			assertThat(readiness.getComponents()).containsKeys("readinessState", "kafkaWorkers");
			assertThat(details(readiness, "kafkaWorkers")).extractingByKey("workers")
				.extracting((workers) -> ((Map<?, ?>) workers).get(WORKER))
				.isInstanceOfSatisfying(Map.class,
						(worker) -> assertThat(worker).containsEntry("state", "RUNNING")
							.containsEntry("joined", true)
							.containsEntry("partitions", 2));
			// the primary health group shows it too
			assertThat(((CompositeHealthDescriptor) context.getBean(HealthEndpoint.class).health()).getComponents())
				.containsKey("kafkaWorkers");
		}
		// captured while the context closed, before any worker stopped
		assertThat(atShutdown.statuses).containsExactly(Status.DOWN);
		assertThat(atShutdown.reasons).containsExactly("The application is shutting down");
	}

	@Test
	void brokerUnreachableAtStartKeepsReadinessDownAndWarnsWithoutFailingTheApplication(CapturedOutput output)
			throws IOException {
		String unreachable = "localhost:" + freePort();
		try (ConfigurableApplicationContext context = start(this.recorder::handle, null,
				"--spring.kafka.bootstrap-servers=" + unreachable)) {
			assertThat(context.isRunning()).isTrue();
			CompositeHealthDescriptor readiness = probe(context, "readiness");
			assertThat(readiness.getStatus()).isEqualTo(Status.DOWN);
			assertThat(details(readiness, "kafkaWorkers")).containsEntry("reason",
					"worker '" + WORKER + "' has not joined consumer group '" + this.topic + "' yet");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(output).contains("Worker '" + WORKER
						+ "' has waited 10s to join consumer group '" + this.topic + "': it cannot reach any broker at "
						+ unreachable + ". It keeps trying; next warning in 20s."));
			assertThat(probe(context, "readiness").getStatus()).isEqualTo(Status.DOWN);
		}
	}

	@Test
	void frozenPartitionsShowInTheDetailsAndKeepReadinessUpByDefault() {
		produce(1, "fail:x");
		try (ConfigurableApplicationContext context = start(this.recorder::handle, null)) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(worker(probe(context, "readiness"))).containsKey("frozen"));
			CompositeHealthDescriptor readiness = probe(context, "readiness");
			assertThat(readiness.getStatus()).isEqualTo(Status.UP);
			assertThat(details(readiness, "kafkaWorkers")).containsEntry("reason", "Records are frozen after failures");
			assertThat(worker(readiness).get("frozen")).asInstanceOf(InstanceOfAssertFactories.LIST)
				.singleElement()
				.isInstanceOfSatisfying(Map.class,
						(frozen) -> assertThat(frozen).containsEntry("topic", this.topic)
							.containsEntry("partition", 1)
							.containsEntry("offset", 0L)
							.containsEntry("scope", "PARTITION")
							.containsEntry("exception", IllegalStateException.class.getName()));
		}
	}

	@Test
	void frozenStatusCanTakeTheWorkerOutOfService() {
		produce(0, "fail:x");
		try (ConfigurableApplicationContext context = start(this.recorder::handle, null,
				"--kafka.worker.health.frozen-status=out-of-service")) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(probe(context, "readiness").getStatus()).isEqualTo(Status.OUT_OF_SERVICE));
			context.getBean(WorkerRegistry.class).find(WORKER).skipFrozen(this.topic, 0, null, false);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(probe(context, "readiness").getStatus()).isEqualTo(Status.UP));
		}
	}

	@Test
	void aLongHandlerCallIsReportedAndTakesLivenessDownOnlyWhenEnabled() throws InterruptedException {
		produce(0, "block");
		try (ConfigurableApplicationContext context = start(this.blocking::handle, null,
				"--kafka.worker.health.max-processing-time=1s", "--kafka.worker.health.liveness.enabled=true")) {
			assertThat(this.blocking.started.await(30, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(probe(context, "liveness").getStatus()).isEqualTo(Status.DOWN));
			CompositeHealthDescriptor liveness = probe(context, "liveness");
			assertThat(details(liveness, "kafkaWorkersLiveness")).extractingByKey("stalled")
				.isInstanceOfSatisfying(Map.class,
						(stalled) -> assertThat((String) stalled.get(WORKER)).startsWith("a handler call has run for ")
							.endsWith("(limit 1s)"));
			// readiness reports it but stays up
			CompositeHealthDescriptor readiness = probe(context, "readiness");
			assertThat(readiness.getStatus()).isEqualTo(Status.UP);
			assertThat(worker(readiness)).containsKey("stalled");
			this.blocking.release.countDown();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(probe(context, "liveness").getStatus()).isEqualTo(Status.UP));
		}
	}

	@Test
	void livenessIsLeftAloneByDefault() throws InterruptedException {
		produce(0, "block");
		try (ConfigurableApplicationContext context = start(this.blocking::handle, null,
				"--kafka.worker.health.max-processing-time=1s")) {
			assertThat(this.blocking.started.await(30, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(worker(probe(context, "readiness"))).containsKey("stalled"));
			CompositeHealthDescriptor liveness = probe(context, "liveness");
			assertThat(liveness.getStatus()).isEqualTo(Status.UP);
			assertThat(liveness.getComponents()).doesNotContainKey("kafkaWorkersLiveness");
		}
	}

	@Test
	void readinessMembershipCanBeSwitchedOff() {
		try (ConfigurableApplicationContext context = start(this.recorder::handle, null,
				"--kafka.worker.health.readiness=false")) {
			assertThat(probe(context, "readiness").getComponents()).doesNotContainKey("kafkaWorkers");
			assertThat(((CompositeHealthDescriptor) context.getBean(HealthEndpoint.class).health()).getComponents())
				.containsKey("kafkaWorkers");
		}
	}

	private static CompositeHealthDescriptor probe(ConfigurableApplicationContext context, String group) {
		return (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath(group);
	}

	private static Map<String, Object> details(CompositeHealthDescriptor group, String component) {
		Map<String, HealthDescriptor> components = group.getComponents();
		assertThat(components).containsKey(component);
		return ((IndicatedHealthDescriptor) components.get(component)).getDetails();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> worker(CompositeHealthDescriptor readiness) {
		return (Map<String, Object>) ((Map<String, Object>) details(readiness, "kafkaWorkers").get("workers"))
			.get(WORKER);
	}

	private void produce(int partition, String value) {
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(this.topic, partition, "k", value));
			producer.flush();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private ConfigurableApplicationContext start(Handler handler, ReadinessAtShutdown atShutdown, String... extra) {
		String[] arguments = CommandLineArguments
			.merge(List.of("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + this.topic,
					"--kafka.worker.workers.healthy.group-id=" + this.topic,
					"--kafka.worker.workers.healthy.retry.backoff.initial=20ms",
					"--management.endpoint.health.show-details=always"), extra);
		return new SpringApplicationBuilder(HealthApp.class).web(WebApplicationType.NONE).initializers((context) -> {
			context.getBeanFactory().registerSingleton("handler", handler);
			if (atShutdown != null) {
				context.getBeanFactory().registerSingleton("readinessAtShutdown", atShutdown);
			}
		}).run(arguments);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HealthApp {

		@Bean
		HealthyWorker healthyWorker(Handler handler) {
			return new HealthyWorker(handler);
		}

	}

	public static class HealthyWorker {

		private final Handler handler;

		HealthyWorker(Handler handler) {
			this.handler = handler;
		}

		@KafkaBatchWorker(id = WORKER, topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			this.handler.handle(record);
		}

	}

	interface Handler {

		void handle(ConsumerRecord<String, String> record) throws InterruptedException;

	}

	static final class BlockingHandler {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		void handle(ConsumerRecord<String, String> record) throws InterruptedException {
			this.started.countDown();
			this.release.await(60, TimeUnit.SECONDS);
		}

	}

	/**
	 * Reads readiness when the first lifecycle stops: after the context started closing,
	 * before any worker stopped.
	 */
	static final class ReadinessAtShutdown implements SmartLifecycle {

		final List<Status> statuses = new CopyOnWriteArrayList<>();

		final List<Object> reasons = new CopyOnWriteArrayList<>();

		volatile HealthEndpoint health;

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			CompositeHealthDescriptor readiness = (CompositeHealthDescriptor) this.health.healthForPath("readiness");
			this.statuses.add(readiness.getStatus());
			this.reasons.add(((IndicatedHealthDescriptor) readiness.getComponents().get("kafkaWorkers")).getDetails()
				.get("reason"));
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE;
		}

	}

}
