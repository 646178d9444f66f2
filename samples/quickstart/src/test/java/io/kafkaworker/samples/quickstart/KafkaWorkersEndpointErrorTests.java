package io.kafkaworker.samples.quickstart;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator gets back over HTTP from a write operation that cannot be carried out,
 * with the sample's settings (writes allowed) and Spring Boot showing error messages
 * ({@code spring.web.error.include-message=always}; by default Boot shows none).
 */
class KafkaWorkersEndpointErrorTests {

	private static RunningQuickstart quickstart;

	@BeforeAll
	static void start() {
		quickstart = RunningQuickstart.start("--spring.web.error.include-message=always", "--demo.seed=0");
	}

	@AfterAll
	static void stop() {
		quickstart.close();
	}

	@Test
	void writeOperationsNeedAJsonContentTypeEvenWithoutABody() {
		RunningQuickstart.Response withoutContentType = quickstart
			.postWithoutContentType("/actuator/kafkaworkers/orders/pause");
		assertThat(withoutContentType.status()).isEqualTo(415);
		RunningQuickstart.Response pause = quickstart.post("/actuator/kafkaworkers/orders/pause", "");
		assertThat(pause.status()).as("pause: %s", pause.body()).isEqualTo(200);
		assertThat(pause.json().get("message").asString()).isEqualTo("Worker paused");
		RunningQuickstart.Response resume = quickstart.post("/actuator/kafkaworkers/orders/resume", "");
		assertThat(resume.status()).as("resume: %s", resume.body()).isEqualTo(200);
		assertThat(quickstart.worker().get("state").asString()).isEqualTo("RUNNING");
	}

	// Over HTTP Spring Boot answers a bad request with the reason of the endpoint's
	// InvalidEndpointRequestException only: the reason must say what is wrong.
	@Test
	void badRequestsSayWhatIsWrong() {
		RunningQuickstart.Response seek = quickstart.post("/actuator/kafkaworkers/orders/seek",
				"{\"topic\":\"demo.orders\",\"partition\":0,\"offset\":0}");
		RunningQuickstart.Response missingPartition = quickstart.post("/actuator/kafkaworkers/orders/skip-frozen",
				"{\"topic\":\"demo.orders\"}");
		RunningQuickstart.Response unknownAction = quickstart.post("/actuator/kafkaworkers/orders/restart", "{}");
		assertThat(seek.status()).isEqualTo(400);
		assertThat(missingPartition.status()).isEqualTo(400);
		assertThat(unknownAction.status()).isEqualTo(400);
		SoftAssertions.assertSoftly((softly) -> {
			softly.assertThat(seek.json().get("message").asString())
				.as("seek on a running worker")
				.contains("must be paused");
			softly.assertThat(missingPartition.json().get("message").asString())
				.as("skip-frozen without a partition")
				.contains("partition");
			softly.assertThat(unknownAction.json().get("message").asString())
				.as("unknown action")
				.contains("use pause, resume, resume-frozen, skip-frozen or seek");
		});
	}

}
