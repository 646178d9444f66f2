package io.kafkaworker.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;

import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint.ActionDescriptor;
import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint.WorkersDescriptor;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints of {@link KafkaWorkersEndpoint} for a native image. Spring Boot's
 * {@code @ReadOperation} and {@code @WriteOperation} are {@code @Reflective}:
 * ahead-of-time processing of the endpoint bean registers its operations and binding
 * hints for what they return, here every descriptor and snapshot type the endpoint's JSON
 * is written from. This test keeps it so, for example should an operation come to return
 * {@code Object}.
 */
class KafkaWorkersEndpointRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void operationsCanBeInvoked() {
		RuntimeHints hints = endpointHints();
		assertThat(this.reflection.onMethodInvocation(KafkaWorkersEndpoint.class, "workers")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(KafkaWorkersEndpoint.class, "worker")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(KafkaWorkersEndpoint.class, "act")).accepts(hints);
	}

	@Test
	void responsesCanBeWrittenAsJson() {
		RuntimeHints hints = endpointHints();
		assertThat(this.reflection.onMethodInvocation(WorkersDescriptor.class, "workers")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(ActionDescriptor.class, "records")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(ActionDescriptor.class, "message")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(WorkerSnapshot.class, "partitions")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(WorkerSnapshot.class, "sinceLastPoll")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(PartitionSnapshot.class, "committedOffset")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(PartitionSnapshot.class, "pausedFor")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(FrozenRecord.class, "exception")).accepts(hints);
		assertThat(this.reflection.onType(WorkerSnapshot.State.class)).accepts(hints);
		assertThat(this.reflection.onType(Duration.class)).accepts(hints);
		assertThat(this.reflection.onType(Instant.class)).accepts(hints);
	}

	private static RuntimeHints endpointHints() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, KafkaWorkersEndpoint.class);
		return hints;
	}

}
