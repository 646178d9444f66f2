package io.kafkaworker.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.event.PartitionUnfrozenEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.lane.CallOutcome;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.runtime.FrozenRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FreezeRegistry}.
 */
class FreezeRegistryTests {

	private static final TopicPartition PARTITION = new TopicPartition("orders", 1);

	private final List<Object> events = new ArrayList<>();

	private final FreezeRegistry registry = new FreezeRegistry("orders-worker",
			new FailureSettings(FailurePolicy.FREEZE, new WorkerRetryPolicy(1, new FixedBackOff(0, 0), List.of()),
					FreezeScope.PARTITION, null, 100, null, "-dlt", false, Duration.ofSeconds(1)),
			Ordering.PARALLEL,
			new LaneScheduler<WorkItem>(1, 1, Executors.newSingleThreadExecutor(), (items) -> CallOutcome.DONE),
			new PartitionPauses(), new WorkerEvents(this.events::add), null);

	/**
	 * A PARALLEL lane runs several calls, and keeps one entry in the registry: another
	 * call of the lane may freeze it again while an operator's skip runs. The skip
	 * happened all the same, so it must be reported and published (the chaos suite saw
	 * "No frozen record matched" for a record that was skipped, and counted it lost).
	 */
	@Test
	void aSkipIsReportedWhenTheLaneFreezesAgainWhileItRuns() {
		FreezeHold refreezing = new FreezeHold() {

			@Override
			public void release() {
			}

			@Override
			public boolean skip(boolean toDeadLetter) {
				freeze(813, noHold());
				return true;
			}

		};
		freeze(973, refreezing);
		List<FrozenRecord> skipped = this.registry.skip("orders", 1, null, false);
		assertThat(skipped).extracting(FrozenRecord::offset).containsExactly(973L);
		assertThat(this.events).filteredOn(PartitionUnfrozenEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				PartitionUnfrozenEvent unfrozen = (PartitionUnfrozenEvent) event;
				assertThat(unfrozen.getFrozenRecord().offset()).isEqualTo(973);
				assertThat(unfrozen.getResolution()).isEqualTo(Resolution.SKIPPED);
			});
		assertThat(this.registry.frozenAt(PARTITION)).extracting(FrozenRecord::offset).isEqualTo(813L);
	}

	private void freeze(long offset, FreezeHold hold) {
		this.registry.freezePartition(PARTITION, new ConsumerRecord<>("orders", 1, offset, "k", "v"),
				new IllegalStateException("fails"), 3, Instant.now(), hold);
	}

	private static FreezeHold noHold() {
		return new FreezeHold() {

			@Override
			public void release() {
			}

			@Override
			public boolean skip(boolean toDeadLetter) {
				return false;
			}

		};
	}

}
