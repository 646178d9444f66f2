package io.kafkaworker.samples.workqueue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.kafkaworker.samples.support.DemoStore;
import io.kafkaworker.samples.support.DemoStore.Saved;
import io.kafkaworker.test.DeadLetter;
import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work queue as it runs, on kafka-worker-test's broker with a smaller seed: the
 * worker sets its share group's configs, renders every job, retries the jobs whose store
 * timed out once, and dead-letters the corrupt ones after their last attempt.
 */
@SpringBootTest(properties = { "demo.seed=" + WorkQueueApplicationTests.JOBS, "demo.work-ms=1" })
@EmbeddedKafkaWorkerTest
@ExtendWith(OutputCaptureExtension.class)
class WorkQueueApplicationTests {

	static final int JOBS = 600;

	@Autowired
	private DemoStore store;

	@Autowired
	private MeterRegistry meters;

	@Test
	void rendersEveryJobRetriesTheFlakyOnesAndDeadLettersTheCorruptOnes(KafkaWorkerTestSupport kafka,
			CapturedOutput output) {
		List<String> corrupt = seedJobs(ThumbnailJobs::isCorrupt);
		List<String> flaky = seedJobs(ThumbnailJobs::isFlaky);
		assertThat(corrupt).hasSize(1);
		assertThat(flaky).hasSize(6);
		assertThat(output.getOut()).contains("Worker 'thumbnails' set share.auto.offset.reset=earliest, "
				+ "share.record.lock.duration.ms=15000 on share group 'thumbnails'");
		// A share-group worker holds no partitions: it is assigned once its consumers
		// joined and polled.
		assertThat(kafka.awaitAssigned("thumbnails").shareGroup()).isTrue();

		// Every job acknowledged: rendered, or dead-lettered once its attempts ran out.
		await("every job accepted").atMost(Duration.ofSeconds(45)).until(() -> accepted() >= JOBS);
		Set<String> rendered = this.store.saved().stream().map(Saved::key).collect(Collectors.toSet());
		assertThat(rendered).hasSize(JOBS - corrupt.size()).containsAll(flaky).doesNotContainAnyElementsOf(corrupt);

		List<DeadLetter> deadLetters = kafka.readDeadLetters(WorkQueueApplication.DEAD_LETTER_TOPIC);
		assertThat(deadLetters).extracting(DeadLetter::key).containsExactlyInAnyOrderElementsOf(corrupt);
		assertThat(deadLetters).allSatisfy((deadLetter) -> {
			assertThat(deadLetter.exceptionMessage()).contains("not a JPEG image");
			assertThat(deadLetter.deliveryAttempts()).as("attempts of %s", deadLetter.key()).isEqualTo(3);
		});
	}

	private static List<String> seedJobs(Predicate<String> image) {
		return IntStream.range(0, JOBS)
			.filter((n) -> image.test(ThumbnailJobs.image("seed", n)))
			.mapToObj((n) -> "seed-" + n)
			.toList();
	}

	private double accepted() {
		return this.meters.find("kafka.worker.share.acknowledgements")
			.tag("worker", ThumbnailWorker.WORKER)
			.tag("type", "ACCEPT")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
