package io.kafkaworker.delivery;

import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.failure.FreezeRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * What a worker's delivery guarantee needs of the worker.
 *
 * @param workerId the worker
 * @param failure the worker's failure handling
 * @param revocationWait the longest wait for in-flight records when partitions are
 * revoked, and for a transaction's records at a revocation, a seek or a shutdown
 * @param pauses the worker's partition pauses
 * @param actions the worker's failure policy
 * @param freezes the worker's freezes
 * @param retryScheduler wakes a consumer when a back-off ends, or null
 */
public record DeliveryContext(String workerId, FailureSettings failure, RevocationWait revocationWait,
		PartitionPauses pauses, FailureActions actions, FreezeRegistry freezes,
		@Nullable TaskScheduler retryScheduler) {

}
