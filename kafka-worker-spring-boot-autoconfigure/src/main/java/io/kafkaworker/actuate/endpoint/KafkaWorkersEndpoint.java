package io.kafkaworker.actuate.endpoint;

import java.util.List;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code kafkaworkers} endpoint. Reads show every worker with its state and, per
 * assigned partition, committed offset, position, log end, lag, records in flight and
 * buffered, and the records that froze. Writes act on one worker:
 * <ul>
 * <li>{@code pause}, {@code resume}: stop and restart fetching, keeping the
 * partitions;</li>
 * <li>{@code resume-frozen} ({@code topic}, {@code partition}, optional {@code key}): try
 * the frozen records again;</li>
 * <li>{@code skip-frozen} (the same, plus optional {@code deadLetter}): move past
 * them;</li>
 * <li>{@code seek} ({@code topic}, {@code partition}, {@code offset}): move a partition's
 * position while the worker is paused.</li>
 * </ul>
 * The endpoint's default access is read-only, stricter than most of Spring Boot's own
 * endpoints (unrestricted but for {@code shutdown} and {@code heapdump}): writes need
 * {@code management.endpoint.kafkaworkers.access=unrestricted}.
 */
@Endpoint(id = "kafkaworkers", defaultAccess = Access.READ_ONLY)
public class KafkaWorkersEndpoint {

	private final WorkerRegistry registry;

	/**
	 * Create the endpoint.
	 * @param registry the workers
	 */
	public KafkaWorkersEndpoint(WorkerRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Describe every worker.
	 * @return the workers
	 */
	@ReadOperation
	public WorkersDescriptor workers() {
		return new WorkersDescriptor(this.registry.snapshots());
	}

	/**
	 * Describe one worker.
	 * @param id the worker id
	 * @return the worker, or null (404) if there is none with that id
	 */
	@ReadOperation
	public @Nullable WorkerSnapshot worker(@Selector String id) {
		WorkerView worker = this.registry.find(id);
		return (worker != null) ? worker.snapshot() : null;
	}

	/**
	 * Act on one worker.
	 * @param id the worker id
	 * @param action {@code pause}, {@code resume}, {@code resume-frozen},
	 * {@code skip-frozen} or {@code seek}
	 * @param topic the topic, for actions on a partition
	 * @param partition the partition, for actions on a partition
	 * @param key the key of a frozen record (freeze scope KEY), or null for all of the
	 * partition's
	 * @param offset the offset to seek to
	 * @param deadLetter whether {@code skip-frozen} publishes to the dead-letter topic
	 * @return what was done
	 */
	@WriteOperation
	public ActionDescriptor act(@Selector String id, @Selector String action, @Nullable String topic,
			@Nullable Integer partition, @Nullable String key, @Nullable Long offset, @Nullable Boolean deadLetter) {
		WorkerView worker = this.registry.find(id);
		if (worker == null) {
			String message = "No worker '" + id + "'";
			throw new InvalidEndpointRequestException(message, message);
		}
		try {
			return switch (action) {
				case "pause" -> {
					worker.pause();
					yield new ActionDescriptor(id, action, List.of(), "Worker paused");
				}
				case "resume" -> {
					worker.resume();
					yield new ActionDescriptor(id, action, List.of(), "Worker resumed");
				}
				case "resume-frozen" -> frozenAction(id, action,
						worker.resumeFrozen(required(topic, "topic"), required(partition, "partition"), key));
				case "skip-frozen" -> frozenAction(id, action, worker.skipFrozen(required(topic, "topic"),
						required(partition, "partition"), key, Boolean.TRUE.equals(deadLetter)));
				case "seek" -> {
					worker.seek(required(topic, "topic"), required(partition, "partition"), required(offset, "offset"));
					yield new ActionDescriptor(id, action, List.of(),
							"Partition " + topic + "-" + partition + " moved to offset " + offset);
				}
				default -> {
					String message = "Unknown action '" + action
							+ "'; use pause, resume, resume-frozen, skip-frozen or seek";
					throw new InvalidEndpointRequestException(message, message);
				}
			};
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			String message = String.valueOf(ex.getMessage());
			throw new InvalidEndpointRequestException(message, message);
		}
	}

	private static ActionDescriptor frozenAction(String id, String action, List<FrozenRecord> records) {
		String message = records.isEmpty() ? "No frozen record matched"
				: records.size() + " frozen record(s) " + (action.equals("resume-frozen") ? "retried" : "skipped");
		return new ActionDescriptor(id, action, records, message);
	}

	private static <T> T required(@Nullable T value, String name) {
		if (value == null) {
			String message = "Missing parameter '" + name + "'";
			throw new InvalidEndpointRequestException(message, message);
		}
		return value;
	}

	/**
	 * Every worker of the application.
	 *
	 * @param workers the workers, sorted by id
	 */
	public record WorkersDescriptor(List<WorkerSnapshot> workers) implements OperationResponseBody {

	}

	/**
	 * The result of an action.
	 *
	 * @param worker the worker id
	 * @param action the action
	 * @param records the frozen records the action applied to
	 * @param message what was done
	 */
	public record ActionDescriptor(String worker, String action, List<FrozenRecord> records,
			String message) implements OperationResponseBody {

	}

}
