package io.kafkaworker.samples.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quickstart application running as a user starts it, on its own in-process broker
 * (on free ports) and a random HTTP port, with what a test needs to watch it from
 * outside: HTTP calls to its actuator, committed offsets read with an {@link Admin}
 * client, and records produced to {@code demo.orders}.
 */
final class RunningQuickstart implements AutoCloseable {

	/**
	 * The id of the quickstart's worker, which is also its consumer group.
	 */
	static final String WORKER = "orders";

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

	private final ConfigurableApplicationContext context;

	private final String bootstrapServers;

	private final URI baseUri;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Admin admin;

	private RunningQuickstart(ConfigurableApplicationContext context, String bootstrapServers) {
		this.context = context;
		this.bootstrapServers = bootstrapServers;
		this.baseUri = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
	}

	/**
	 * Start the quickstart with 1 ms of work per record.
	 * @param arguments more command-line arguments
	 * @return the running application, to be closed
	 */
	static RunningQuickstart start(String... arguments) {
		int brokerPort = TestPorts.findFreePortPair();
		List<String> allArguments = new ArrayList<>(
				List.of("--demo.broker.port=" + brokerPort, "--server.port=0", "--demo.work-ms=1"));
		allArguments.addAll(List.of(arguments));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(QuickstartApplication.class)
			.main(QuickstartApplication.class)
			.run(allArguments.toArray(String[]::new));
		return new RunningQuickstart(context, "localhost:" + brokerPort);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Send a GET request.
	 * @param path the path, for example {@code /actuator/kafkaworkers}
	 * @return the response
	 */
	Response get(String path) {
		return send(HttpRequest.newBuilder(this.baseUri.resolve(path)).GET());
	}

	/**
	 * Send a POST request with a JSON body, as
	 * {@code curl -X POST -H 'Content-Type: application/json' -d BODY} does.
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	Response post(String path, String json) {
		return send(HttpRequest.newBuilder(this.baseUri.resolve(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/**
	 * Send a POST request without a body or a {@code Content-Type}, as
	 * {@code curl -X POST} does.
	 * @param path the path
	 * @return the response
	 */
	Response postWithoutContentType(String path) {
		return send(HttpRequest.newBuilder(this.baseUri.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(HTTP_TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), this.jsonMapper);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the worker as {@code GET /actuator/kafkaworkers/orders} shows it.
	 * @return the worker's JSON
	 */
	JsonNode worker() {
		Response response = get("/actuator/kafkaworkers/" + WORKER);
		assertThat(response.status()).as("GET /actuator/kafkaworkers/%s: %s", WORKER, response.body()).isEqualTo(200);
		return response.json();
	}

	/**
	 * Return one partition of {@link #worker()}.
	 * @param worker the worker's JSON
	 * @param partition the partition
	 * @return the partition's JSON
	 */
	static JsonNode partition(JsonNode worker, int partition) {
		for (JsonNode candidate : worker.get("partitions")) {
			if (candidate.get("partition").asInt() == partition) {
				return candidate;
			}
		}
		throw new AssertionError("No partition " + partition + " in " + worker);
	}

	/**
	 * Return the offsets the worker's group has committed, read from the broker.
	 * @return the committed offset of each partition of {@code demo.orders} (the next
	 * offset to process), 0 where nothing was committed
	 */
	Map<Integer, Long> committedOffsets() {
		Map<TopicPartition, OffsetAndMetadata> committed = get(
				this.admin.listConsumerGroupOffsets(WORKER).partitionsToOffsetAndMetadata());
		return IntStream.range(0, QuickstartApplication.PARTITIONS)
			.boxed()
			.collect(Collectors.toMap(Function.identity(), (partition) -> {
				OffsetAndMetadata offset = committed
					.get(new TopicPartition(QuickstartApplication.ORDERS_TOPIC, partition));
				return (offset != null) ? offset.offset() : 0L;
			}));
	}

	/**
	 * Return the log-end offsets of {@code demo.orders}.
	 * @return the end offset of each partition
	 */
	Map<Integer, Long> endOffsets() {
		Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, QuickstartApplication.PARTITIONS)
			.boxed()
			.collect(Collectors.toMap((partition) -> new TopicPartition(QuickstartApplication.ORDERS_TOPIC, partition),
					(partition) -> OffsetSpec.latest()));
		return get(this.admin.listOffsets(latest).all()).entrySet()
			.stream()
			.collect(Collectors.toMap((entry) -> entry.getKey().partition(), (entry) -> entry.getValue().offset()));
	}

	/**
	 * Produce one record to {@code demo.orders} and wait for the broker's acknowledgment.
	 * @param partition the partition, or null to let the key choose it
	 * @param key the key
	 * @param value the value
	 * @return the record's offset
	 */
	long produce(@Nullable Integer partition, String key, String value) {
		@SuppressWarnings("unchecked")
		KafkaTemplate<String, String> template = this.context.getBean(KafkaTemplate.class);
		return get(template.send(QuickstartApplication.ORDERS_TOPIC, partition, key, value)).getRecordMetadata()
			.offset();
	}

	/**
	 * Find the only record of {@code demo.orders} with a value.
	 * @param value the value
	 * @return the record
	 */
	ConsumerRecord<String, String> findOrder(String value) {
		List<ConsumerRecord<String, String>> matching = QuickstartOutput
			.readAll(this.bootstrapServers, QuickstartApplication.ORDERS_TOPIC)
			.stream()
			.filter((order) -> value.equals(order.value()))
			.toList();
		assertThat(matching).as("records with value %s", value).hasSize(1);
		return matching.get(0);
	}

	/**
	 * Return the values the worker wrote to {@code demo.orders.processed}.
	 * @return {@code <partition>:<offset>:<value>} of every processed record
	 */
	List<String> processed() {
		return QuickstartOutput.readAll(this.bootstrapServers, QuickstartApplication.PROCESSED_TOPIC)
			.stream()
			.map(ConsumerRecord::value)
			.toList();
	}

	private static <T> T get(Future<T> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.admin.close();
		this.context.close();
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param body the body
	 * @param jsonMapper parses the body
	 */
	record Response(int status, String body, JsonMapper jsonMapper) {

		JsonNode json() {
			return this.jsonMapper.readTree(this.body);
		}

	}

}
