package io.kafkaworker.samples.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kafkaworker.samples.support.InProcessKafkaBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code compose} profile: it points the quickstart at the compose stack's broker and
 * Jaeger, and its traces really leave over OTLP/HTTP. Here the broker is an in-process
 * one on free ports and the collector a local HTTP server standing in for Jaeger's
 * {@code /v1/traces}.
 */
class ComposeProfileTests {

	private static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	@Test
	void profilePointsAtTheComposeBrokerAndJaeger() throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application-compose.yml",
				new ClassPathResource("application-compose.yml"));
		assertThat(sources).hasSize(1);
		PropertySource<?> profile = sources.get(0);
		assertThat(profile.getProperty("spring.kafka.bootstrap-servers")).hasToString("localhost:9092");
		assertThat(profile.getProperty(OTLP_ENDPOINT)).hasToString("http://localhost:4318/v1/traces");
		assertThat(profile.getProperty("management.tracing.sampling.probability")).hasToString("1.0");
	}

	@Test
	void tracesAreExportedOverOtlpHttp() throws IOException {
		List<Request> requests = new CopyOnWriteArrayList<>();
		HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		collector.createContext("/v1/traces", (exchange) -> requests.add(receive(exchange)));
		collector.start();
		int brokerPort = TestPorts.findFreePortPair();
		try (InProcessKafkaBroker broker = InProcessKafkaBroker.start(brokerPort);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(QuickstartApplication.class)
					.main(QuickstartApplication.class)
					.profiles("compose")
					.run("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "--server.port=0", "--"
							+ OTLP_ENDPOINT + "=http://localhost:" + collector.getAddress().getPort() + "/v1/traces",
							"--demo.seed=20", "--demo.work-ms=1")) {
			assertThat(context.containsBean("inProcessKafkaBroker")).as("in-process broker started").isFalse();
			// The worker's span of each record, and its sends to demo.orders.processed,
			// observed by the profile's spring.kafka.template.observation-enabled.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> requests.stream().anyMatch((request) -> request.contains("process demo.orders")));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> requests.stream().anyMatch((request) -> request.contains("demo.orders.processed send")));
			assertThat(requests).allSatisfy((request) -> {
				assertThat(request.contentType()).isEqualTo("application/x-protobuf");
				// The resource's service.name, from spring.application.name.
				assertThat(request.contains("quickstart")).isTrue();
			});
		}
		finally {
			collector.stop(0);
		}
	}

	private static Request receive(HttpExchange exchange) throws IOException {
		try (InputStream body = exchange.getRequestBody()) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			body.transferTo(bytes);
			// An empty ExportTraceServiceResponse: everything accepted.
			exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
			return new Request(exchange.getRequestHeaders().getFirst("Content-Type"), bytes.toByteArray());
		}
		finally {
			exchange.close();
		}
	}

	/**
	 * An OTLP export request as the collector received it.
	 *
	 * @param contentType its content type
	 * @param body its protobuf body
	 */
	private record Request(String contentType, byte[] body) {

		// Protobuf stores strings as UTF-8 bytes, so names can be found without decoding.
		boolean contains(String text) {
			return new String(this.body, StandardCharsets.ISO_8859_1)
				.contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
		}

	}

}
