package io.kafkaworker.integration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hot key's backlog must not hold back the other keys of its partition under
 * back-pressure (KEY mode, a real broker): their records lie behind the hot key's in the
 * log, and pausing the partition cannot make the hot key go faster.
 */
class HotKeyBackpressureIntegrationTests {

	private static final int HOT_RECORDS = 800;

	private static final int OTHER_RECORDS = 4_000;

	@Test
	void otherKeysOfTheHotKeysPartitionAreAllHandledWhileTheHotKeyStillHasMostOfItsBacklog() {
		String topic = Broker.uniqueName("hot-key");
		// One partition: the hot key and the others share it, and its fair share is the
		// whole bound.
		Broker.createTopic(topic, 1);
		// Every sixth record is the hot key's, all through the log.
		Broker.produce(topic, HOT_RECORDS * 6, (i) -> (i % 6 == 0) ? new String[] { "hot", Integer.toString(i) }
				: new String[] { "key-" + (i % 500), Integer.toString(i) });
		Counts counts = new Counts();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HotKeyApp.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("counts", counts))
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest",
					"--kafka.worker.workers.hot-key.topics=" + topic,
					"--kafka.worker.workers.hot-key.group-id=" + topic, "--kafka.worker.workers.hot-key.concurrency=8",
					// Well below the hot key's backlog: the partition is paused
					// whenever a poll brings more of the other keys' records than half
					// the bound.
					"--kafka.worker.workers.hot-key.max-buffered-records=200")) {
			await("every other key's record handled").atMost(Duration.ofSeconds(60))
				.until(() -> counts.others.get() == OTHER_RECORDS);
			// The hot key takes 20 ms per record, 16 s for all. A poll brings about 420
			// of the other keys' records, which pause the partition (over half the bound
			// of 200) until they are handled. When the hot lane counted up to half the
			// bound to resume too, the partition resumed only once the hot key drained
			// to half the bound: the other keys finished after 650 hot records
			// (measured). Counted up to a quarter, after about 400: each pause waited
			// for the consumer's poll timeout (1 s) to look at the hot lane again. Now a
			// lane thread wakes the consumer when the partition could resume: 5 to 9.
			assertThat(counts.hotWhenOthersDone.get()).as("hot records handled when the other keys were all handled")
				.isLessThan(HOT_RECORDS / 8);
		}
	}

	static final class Counts {

		final AtomicInteger hot = new AtomicInteger();

		final AtomicInteger others = new AtomicInteger();

		final AtomicInteger hotWhenOthersDone = new AtomicInteger(-1);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HotKeyApp {

		@Bean
		HotKeyWorker hotKeyWorker(Counts counts) {
			return new HotKeyWorker(counts);
		}

	}

	public static class HotKeyWorker {

		private final Counts counts;

		HotKeyWorker(Counts counts) {
			this.counts = counts;
		}

		@KafkaBatchWorker(id = "hot-key", mode = Mode.KEY)
		public void handle(ConsumerRecord<String, String> record) {
			if ("hot".equals(record.key())) {
				LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				this.counts.hot.incrementAndGet();
			}
			else if (this.counts.others.incrementAndGet() == OTHER_RECORDS) {
				this.counts.hotWhenOthersDone.set(this.counts.hot.get());
			}
		}

	}

}
