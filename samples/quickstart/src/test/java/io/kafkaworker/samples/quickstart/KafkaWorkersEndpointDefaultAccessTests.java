package io.kafkaworker.samples.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code management.endpoint.kafkaworkers.access} left at its default, read-only,
 * the endpoint's write operations are not mapped at all over HTTP: a POST to
 * {@code /actuator/kafkaworkers/{id}/{action}} finds no handler and gets 404 Not Found
 * (and a POST to a read operation's path 405 Method Not Allowed), while GET works. The
 * application is started with {@code endpoint-default-access.yml} instead of the sample's
 * {@code application.yml}, which allows writes for the demo.
 */
class KafkaWorkersEndpointDefaultAccessTests {

	private static final Map<String, String> ACTIONS = Map.of("pause", "{}", "resume", "{}", "resume-frozen",
			"{\"topic\":\"demo.orders\",\"partition\":%d}", "skip-frozen",
			"{\"topic\":\"demo.orders\",\"partition\":%d}", "seek",
			"{\"topic\":\"demo.orders\",\"partition\":%d,\"offset\":0}");

	@Test
	void writeOperationsAreNotFoundOverHttpWhileReadsWork() {
		try (RunningQuickstart quickstart = RunningQuickstart.start(
				"--spring.config.location=classpath:/endpoint-default-access.yml", "--demo.seed=0",
				"--demo.fail=key-7")) {
			assertThat(quickstart.context().getEnvironment().getProperty("management.endpoints.web.exposure.include"))
				.isEqualTo("health,kafkaworkers");
			assertThat(
					quickstart.context().getEnvironment().containsProperty("management.endpoint.kafkaworkers.access"))
				.as("access left at its default")
				.isFalse();
			ConsumerRecord<String, String> failing = quickstart.findOrder(DemoProperties.FAIL_VALUE);
			int partition = failing.partition();

			// Reads work: the frozen record shows.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(quickstart.worker().get("frozenRecords").values())
					.extracting((record) -> record.get("offset").asLong())
					.containsExactly(failing.offset()));
			RunningQuickstart.Response all = quickstart.get("/actuator/kafkaworkers");
			assertThat(all.status()).isEqualTo(200);
			assertThat(all.json().get("workers").values()).extracting((worker) -> worker.get("id").asString())
				.containsExactly("orders");
			JsonNode before = quickstart.worker().get("frozenRecords");

			// Writes are not there.
			ACTIONS.forEach((action, body) -> {
				RunningQuickstart.Response response = quickstart.post("/actuator/kafkaworkers/orders/" + action,
						body.formatted(partition));
				assertThat(response.status()).as("POST %s: %s", action, response.body()).isEqualTo(404);
			});
			for (String readPath : List.of("/actuator/kafkaworkers", "/actuator/kafkaworkers/orders")) {
				assertThat(quickstart.post(readPath, "{}").status()).as("POST %s", readPath).isEqualTo(405);
			}

			// Nothing changed: the worker runs, and the record is still frozen.
			JsonNode after = quickstart.worker();
			assertThat(after.get("state").asString()).isEqualTo("RUNNING");
			assertThat(after.get("frozenRecords")).isEqualTo(before);
			assertThat(RunningQuickstart.partition(after, partition).get("pausedFor").values())
				.extracting(JsonNode::asString)
				.containsExactly("FROZEN");
			assertThat(quickstart.committedOffsets()).containsEntry(partition, failing.offset());
		}
	}

}
