package io.kafkaworker.actuate.endpoint;

import java.time.Instant;

import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint.GroupDescriptor;
import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint.TopicDescriptor;
import io.kafkaworker.admin.PartitionLag;
import io.kafkaworker.admin.TimestampOffset;
import io.kafkaworker.admin.TimestampOffsets;
import io.kafkaworker.admin.TopicOffsets;
import io.kafkaworker.admin.Watermarks;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints of {@link KafkaOffsetsEndpoint} for a native image: Spring Boot's
 * processing of its {@code @ReadOperation}s registers the operations and binding hints
 * for every record its JSON is written from.
 */
class KafkaOffsetsEndpointRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void operationsCanBeInvoked() {
		RuntimeHints hints = endpointHints();
		assertThat(this.reflection.onMethodInvocation(KafkaOffsetsEndpoint.class, "topic")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(KafkaOffsetsEndpoint.class, "group")).accepts(hints);
	}

	@Test
	void responsesCanBeWrittenAsJson() {
		RuntimeHints hints = endpointHints();
		assertThat(this.reflection.onMethodInvocation(TopicDescriptor.class, "watermarks")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(TopicDescriptor.class, "offsetsForTimestamp")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(TopicOffsets.class, "partitions")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(TopicOffsets.class, "messageCount")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Watermarks.class, "high")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Watermarks.class, "messageCount")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(TimestampOffsets.class, "partitions")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(TimestampOffset.class, "offset")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(GroupDescriptor.class, "partitions")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(GroupDescriptor.class, "totalLag")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(PartitionLag.class, "committedOffset")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(PartitionLag.class, "lag")).accepts(hints);
		assertThat(this.reflection.onType(IsolationLevel.class)).accepts(hints);
		assertThat(this.reflection.onType(Instant.class)).accepts(hints);
	}

	private static RuntimeHints endpointHints() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, KafkaOffsetsEndpoint.class);
		return hints;
	}

}
