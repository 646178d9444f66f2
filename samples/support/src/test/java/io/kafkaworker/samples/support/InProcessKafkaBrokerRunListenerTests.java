package io.kafkaworker.samples.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * When the run listener starts a broker and when it leaves the configured one alone.
 */
class InProcessKafkaBrokerRunListenerTests {

	private final InProcessKafkaBrokerRunListener listener = new InProcessKafkaBrokerRunListener(
			new SpringApplication(), new String[0]);

	@Test
	void startsNoBrokerWhenBootstrapServersAreConfigured() {
		StandardEnvironment environment = environment(
				Map.of("spring.kafka.bootstrap-servers", "kafka.example.com:9092"));
		this.listener.environmentPrepared(new DefaultBootstrapContext(), environment);
		assertThat(environment.getPropertySources().contains("inProcessKafkaBroker")).isFalse();
		assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("kafka.example.com:9092");
	}

	@Test
	void startsNoBrokerWhenBootstrapServersComeFromAnEnvironmentVariable() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka.example.com:9092")));
		this.listener.environmentPrepared(new DefaultBootstrapContext(), environment);
		assertThat(environment.getPropertySources().contains("inProcessKafkaBroker")).isFalse();
	}

	@Test
	void startsNoBrokerWhenDisabled() {
		StandardEnvironment environment = environment(Map.of("demo.broker.enabled", "false"));
		this.listener.environmentPrepared(new DefaultBootstrapContext(), environment);
		assertThat(environment.getPropertySources().contains("inProcessKafkaBroker")).isFalse();
	}

	@Test
	void startsNoBrokerDuringAheadOfTimeProcessing() throws IOException {
		// The port is taken: starting a broker would fail.
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
			StandardEnvironment environment = environment(
					Map.of("demo.broker.port", Integer.toString(taken.getLocalPort())));
			System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
			try {
				this.listener.environmentPrepared(new DefaultBootstrapContext(), environment);
			}
			finally {
				System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
			}
			assertThat(environment.getPropertySources().contains("inProcessKafkaBroker")).isFalse();
		}
	}

	@Test
	void explainsWhatToDoWhenThePortIsTaken() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
			StandardEnvironment environment = environment(
					Map.of("demo.broker.port", Integer.toString(taken.getLocalPort())));
			assertThatIllegalStateException()
				.isThrownBy(() -> this.listener.environmentPrepared(new DefaultBootstrapContext(), environment))
				.withMessageContaining("Port " + taken.getLocalPort() + " on localhost is in use")
				.withMessageContaining("--spring.kafka.bootstrap-servers=localhost:" + taken.getLocalPort())
				.withMessageContaining("--demo.broker.port");
		}
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
