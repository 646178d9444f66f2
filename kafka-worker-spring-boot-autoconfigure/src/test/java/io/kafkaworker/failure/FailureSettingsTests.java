package io.kafkaworker.failure;

import java.time.Duration;
import java.util.List;

import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.error.WorkerRetryPolicy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailureSettings}.
 */
class FailureSettingsTests {

	@Test
	void deadLetterTopicShouldBeTheRecordsTopicFollowedByTheSuffix() {
		assertThat(settings(null, "-dlt").deadLetterTopicFor("orders")).isEqualTo("orders-dlt");
		assertThat(settings(null, "-dlt").deadLetterTopicFor("billing.invoices")).isEqualTo("billing.invoices-dlt");
	}

	@Test
	void deadLetterTopicShouldKeepTheNameOfEarlierVersionsWithTheirSuffix() {
		assertThat(settings(null, ".dlt").deadLetterTopicFor("orders")).isEqualTo("orders.dlt");
	}

	@Test
	void deadLetterTopicWhenConfiguredShouldBeTheSameForEveryTopic() {
		FailureSettings settings = settings("all-dead-letters", "-dlt");
		assertThat(settings.deadLetterTopicFor("orders")).isEqualTo("all-dead-letters");
		assertThat(settings.deadLetterTopicFor("payments")).isEqualTo("all-dead-letters");
	}

	private static FailureSettings settings(@Nullable String topic, String suffix) {
		return new FailureSettings(FailurePolicy.DEAD_LETTER,
				new WorkerRetryPolicy(1, new FixedBackOff(0, 0), List.of()), FreezeScope.PARTITION, null, 1, topic,
				suffix, true, Duration.ofSeconds(1));
	}

}
