package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.health.KafkaWorkersHealthIndicator;
import io.kafkaworker.runtime.WorkerRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ekafka's SASL, tested: a broker whose only listener is SASL_PLAINTEXT with PLAIN and
 * SCRAM-SHA-512 (Kafka's own test kit, whose broker JAAS has the PLAIN users
 * {@code plain-admin} and {@code plain-user1}); workers connect with nothing but
 * {@code spring.kafka.*} credentials and handle records. A wrong password keeps the
 * worker out of readiness with a log line naming the cause, without crashing the
 * application or printing the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIntegrationTests {

	private static final String SCRAM_PASSWORD = "alice-scram-secret";

	private static KafkaClusterTestKit cluster;

	@BeforeAll
	static void startSecuredBroker() throws Exception {
		KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
				new TestKitNodes.Builder().setCombined(true)
					.setNumBrokerNodes(1)
					.setNumControllerNodes(1)
					.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
					.build());
		builder.setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
		builder.setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
				"org.apache.kafka.common.security.scram.ScramLoginModule required;");
		// The kit's SASL setup brings an authorizer: the controller listener's
		// (PLAINTEXT, anonymous) requests and the admin act as super users, and clients
		// without ACLs may do anything, as on a broker without an authorizer.
		builder.setConfigProp("super.users", "User:ANONYMOUS;User:plain-admin");
		builder.setConfigProp("allow.everyone.if.no.acl.found", "true");
		builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
		builder.setConfigProp("offsets.topic.replication.factor", "1");
		cluster = builder.build();
		cluster.format();
		cluster.startup();
		cluster.waitForReadyBrokers();
		try (Admin admin = Admin.create(client(plain("plain-admin", "plain-admin-secret")))) {
			admin
				.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
						new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), SCRAM_PASSWORD)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
	}

	@AfterAll
	static void stopSecuredBroker() throws Exception {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void aWorkerConnectsWithPlainCredentials() throws Exception {
		assertHandlesRecords("PLAIN", plainJaas("plain-user1", "plain-user1-secret"));
	}

	@Test
	void aWorkerConnectsWithScramCredentials() throws Exception {
		assertHandlesRecords("SCRAM-SHA-512", scramJaas("alice", SCRAM_PASSWORD));
	}

	@Test
	void aWrongPasswordKeepsTheWorkerOutOfReadinessAndNeverPrintsThePassword(CapturedOutput output) throws Exception {
		String topic = topic("wrong");
		String wrong = "not-alices-password-42";
		try (ConfigurableApplicationContext context = start(topic, "SCRAM-SHA-512", scramJaas("alice", wrong))) {
			KafkaWorkersHealthIndicator readiness = context.getBean(KafkaWorkersHealthIndicator.class);
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> readiness.health(true).getStatus().equals(Status.DOWN));
			assertThat(readiness.health(true).getDetails().get("reason")).asString().contains("'secured' is stopped");
			assertThat(context.isRunning()).as("the application, still running").isTrue();
			assertThat(String.valueOf(context.getBean(WorkerRegistry.class).find("secured").snapshot()))
				.doesNotContain(wrong);
		}
		assertThat(output.getOut()).contains("invalid credentials with SASL mechanism SCRAM-SHA-512")
			.doesNotContain(wrong);
	}

	private static void assertHandlesRecords(String mechanism, String jaas) throws Exception {
		String topic = topic(mechanism.toLowerCase());
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				client(plain("plain-admin", "plain-admin-secret")), new StringSerializer(), new StringSerializer())) {
			for (int i = 0; i < 20; i++) {
				producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
			}
		}
		try (ConfigurableApplicationContext context = start(topic, mechanism, jaas)) {
			Queue<String> handled = context.getBean(SecuredApplication.class).handled;
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 20);
		}
	}

	private static ConfigurableApplicationContext start(String topic, String mechanism, String jaas) {
		return new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + cluster.bootstrapServers(),
					"--spring.kafka.security.protocol=SASL_PLAINTEXT",
					"--spring.kafka.properties.sasl.mechanism=" + mechanism,
					"--spring.kafka.properties.sasl.jaas.config=" + jaas,
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.workers.secured.group-id=" + topic);
	}

	private static String topic(String name) throws Exception {
		String topic = "secured-" + name + "-" + System.nanoTime();
		try (Admin admin = Admin.create(client(plain("plain-admin", "plain-admin-secret")))) {
			admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		return topic;
	}

	private static Map<String, Object> plain(String user, String password) {
		return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
				plainJaas(user, password));
	}

	private static Properties client(Map<String, Object> security) {
		Properties properties = new Properties();
		properties.put("bootstrap.servers", cluster.bootstrapServers());
		properties.putAll(security);
		return properties;
	}

	private static String plainJaas(String user, String password) {
		return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
				+ password + "\";";
	}

	private static String scramJaas(String user, String password) {
		return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
				+ password + "\";";
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class SecuredApplication {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		@KafkaBatchWorker(id = "secured", topics = "${test.topic}", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) {
			this.handled.add(record.value());
		}

	}

}
