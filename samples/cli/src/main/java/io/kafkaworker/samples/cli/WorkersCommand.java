package io.kafkaworker.samples.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/**
 * {@code workers}: a running application's kafka-worker workers, through its
 * {@code kafkaworkers} actuator endpoint ({@code GET /kafkaworkers}, {@code GET
 * /kafkaworkers/{id}}, {@code POST /kafkaworkers/{id}/resume-frozen} and
 * {@code /skip-frozen}). The writes need
 * {@code management.endpoint.kafkaworkers.access=unrestricted} in the application.
 */
@Command(name = "workers", mixinStandardHelpOptions = true,
		description = { "Show a running application's workers and resume or skip their frozen records, through "
				+ "its kafkaworkers actuator endpoint. Without a subcommand: list." })
public class WorkersCommand implements Callable<Integer> {

	private final ActuatorClient actuator;

	private final CliConsole console;

	@Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
			defaultValue = "http://localhost:8080/actuator",
			description = "The application's actuator base URL (default: ${DEFAULT-VALUE}).")
	private String url = "http://localhost:8080/actuator";

	WorkersCommand(ActuatorClient actuator, CliConsole console) {
		this.actuator = actuator;
		this.console = console;
	}

	@Override
	public Integer call() {
		return list();
	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Print each worker: group, mode, state, partitions, lag and frozen records.")
	int list() {
		JsonNode workers = this.actuator.get(endpoint(), "No kafkaworkers endpoint at " + this.url
				+ " (is it exposed: management.endpoints.web.exposure.include=kafkaworkers?)");
		Table table = new Table("WORKER", "GROUP", "MODE", "STATE", "TOPICS", "PARTITIONS", "LAG", "FROZEN");
		for (JsonNode worker : workers.path("workers")) {
			long lag = 0;
			for (JsonNode partition : worker.path("partitions")) {
				lag += partition.path("lag").asLong();
			}
			table.row(text(worker, "id"), text(worker, "groupId"), text(worker, "mode"), text(worker, "state"),
					joined(worker.path("topics")), worker.path("partitions").size(), lag,
					worker.path("frozenRecords").size());
		}
		table.print(this.console.out());
		return 0;
	}

	@Command(name = "show", mixinStandardHelpOptions = true,
			description = "Print a worker and, per assigned partition, its committed offset, position, end offset, "
					+ "lag, records in flight and buffered and why it is paused; then its frozen records.")
	int show(@Parameters(paramLabel = "ID", description = "The worker id.") String id) {
		JsonNode worker = worker(id);
		this.console.out()
			.printf("Worker: %s  group: %s  mode: %s  delivery: %s  state: %s  topics: %s%n", text(worker, "id"),
					text(worker, "groupId"), text(worker, "mode"), text(worker, "delivery"), text(worker, "state"),
					joined(worker.path("topics")));
		Table partitions = new Table("TOPIC", "PARTITION", "COMMITTED", "POSITION", "END", "LAG", "IN-FLIGHT",
				"BUFFERED", "PAUSED");
		for (JsonNode partition : worker.path("partitions")) {
			partitions.row(text(partition, "topic"), text(partition, "partition"), text(partition, "committedOffset"),
					text(partition, "position"), text(partition, "endOffset"), text(partition, "lag"),
					text(partition, "inFlight"), text(partition, "buffered"), joined(partition.path("pausedFor")));
		}
		partitions.print(this.console.out());
		this.console.out().println();
		printFrozen(worker.path("frozenRecords"));
		return 0;
	}

	@Command(name = "frozen", mixinStandardHelpOptions = true,
			description = "Print a worker's frozen records, oldest first.")
	int frozen(@Parameters(paramLabel = "ID", description = "The worker id.") String id) {
		printFrozen(worker(id).path("frozenRecords"));
		return 0;
	}

	@Command(name = "resume", mixinStandardHelpOptions = true,
			description = "Try a partition's frozen records again (or one key's, for freeze scope KEY), with fresh "
					+ "retries.")
	int resume(@Parameters(paramLabel = "ID", description = "The worker id.") String id,
			@Option(names = "--topic", required = true, paramLabel = "TOPIC") String topic,
			@Option(names = "--partition", required = true, paramLabel = "P") int partition, @Option(names = "--key",
					paramLabel = "KEY", description = "The frozen key (freeze scope KEY).") @Nullable String key) {
		return act(id, "resume-frozen", body(topic, partition, key));
	}

	@Command(name = "skip", mixinStandardHelpOptions = true,
			description = "Mark a partition's frozen records (or one key's) done without handling them, and go on.")
	int skip(@Parameters(paramLabel = "ID", description = "The worker id.") String id,
			@Option(names = "--topic", required = true, paramLabel = "TOPIC") String topic,
			@Option(names = "--partition", required = true, paramLabel = "P") int partition,
			@Option(names = "--key", paramLabel = "KEY",
					description = "The frozen key (freeze scope KEY).") @Nullable String key,
			@Option(names = "--dead-letter",
					description = "Publish them to the dead-letter topic first.") boolean deadLetter) {
		Map<String, Object> body = body(topic, partition, key);
		if (deadLetter) {
			body.put("deadLetter", true);
		}
		return act(id, "skip-frozen", body);
	}

	private int act(String id, String action, Map<String, Object> body) {
		JsonNode result = this.actuator.post(endpoint() + "/" + encode(id) + "/" + action, body,
				"Cannot " + action + ": the kafkaworkers endpoint at " + this.url
						+ " takes no writes (management.endpoint.kafkaworkers.access=unrestricted?)");
		if (result.path("records").isEmpty()) {
			throw new CliException("Worker '" + id + "' has no frozen record on " + body.get("topic") + "-"
					+ body.get("partition") + ((body.get("key") != null) ? " with key '" + body.get("key") + "'" : ""));
		}
		this.console.out().println(text(result, "message"));
		printFrozen(result.path("records"));
		return 0;
	}

	private JsonNode worker(String id) {
		return this.actuator.get(endpoint() + "/" + encode(id), "No worker '" + id + "' at " + this.url);
	}

	private void printFrozen(JsonNode records) {
		if (records.isEmpty()) {
			this.console.out().println("No frozen records");
			return;
		}
		Table table = new Table("TOPIC", "PARTITION", "OFFSET", "KEY", "SCOPE", "ATTEMPTS", "SINCE", "ERROR");
		for (JsonNode record : records) {
			String message = text(record, "message");
			table.row(text(record, "topic"), text(record, "partition"), text(record, "offset"), text(record, "key"),
					text(record, "scope"), text(record, "attempts"), text(record, "since"),
					text(record, "exception") + ((message != null) ? ": " + message : ""));
		}
		table.print(this.console.out());
	}

	private String endpoint() {
		return this.url.replaceAll("/+$", "") + "/kafkaworkers";
	}

	private static Map<String, Object> body(String topic, int partition, @Nullable String key) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("topic", topic);
		body.put("partition", partition);
		if (key != null) {
			body.put("key", key);
		}
		return body;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return (value.isMissingNode() || value.isNull()) ? null : value.asString();
	}

	private static String joined(JsonNode values) {
		StringBuilder joined = new StringBuilder();
		for (JsonNode value : values) {
			joined.append((joined.length() > 0) ? "," : "").append(value.asString());
		}
		return joined.toString();
	}

	private static String encode(String id) {
		return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
