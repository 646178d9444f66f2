package io.kafkaworker.samples.clicks;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.kafkaworker.state.TableView;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest.Topic;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample on kafka-worker-test's broker, without its demo clicks: random clicks by 25
 * users are counted once each in the worker's table, and served from the view over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "demo.seed=0", "demo.clicks.every=0" })
@EmbeddedKafkaWorkerTest(topics = @Topic(name = ClickCounterApplication.TOPIC, partitions = 3))
class ClickCounterApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TableView<String, ClickCount> clicks;

	@Test
	void countsEachUsersClicksInTheTableAndServesThemFromTheView(KafkaWorkerTestSupport kafka) {
		Random random = Clicks.random("countsEachUsersClicks");
		Map<String, ClickCount> expected = new TreeMap<>();
		kafka.sendAll(Clicks.random(ClickCounterApplication.TOPIC, random, 2_000, expected));
		kafka.awaitCommitted(ClickCounter.ID, ClickCounterApplication.TOPIC);

		// Committed with the clicks' offsets, in the same transactions: each user's
		// count and last page, exactly.
		assertThat(Clicks.table(kafka.bootstrapServers(), ClickCounter.TABLE)).isEqualTo(expected);

		// The view follows the table.
		RestClient http = RestClient.create("http://localhost:" + this.port);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Clicks.users(http)).isEqualTo(expected));
		assertThat(this.clicks.recovered()).isTrue();
		expected.forEach((user,
				count) -> assertThat(http.get().uri("/users/{id}/clicks", user).retrieve().body(ClickCount.class))
					.as(user)
					.isEqualTo(count));
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> http.get().uri("/users/{id}/clicks", "nobody").retrieve().toBodilessEntity());
	}

}
