package io.kafkaworker.annotation;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaBatchWorkerReflectiveProcessor}, applied the way Spring's
 * ahead-of-time processing applies it to the class of every bean: through
 * {@link ReflectiveRuntimeHintsRegistrar}, which finds {@code @Reflective} on
 * {@link KafkaBatchWorker}.
 */
class KafkaBatchWorkerReflectiveProcessorTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void annotatedMethodsCanBeInvokedAndOthersAreLeftAlone() {
		RuntimeHints hints = hintsFor(Workers.class);
		assertThat(this.reflection.onMethodInvocation(Workers.class, "record")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Workers.class, "payload")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Workers.class, "records")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Workers.class, "payloads")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Workers.class, "helper")).rejects(hints);
	}

	@Test
	void payloadTypesCanBeBound() {
		RuntimeHints hints = hintsFor(PayloadWorker.class, PayloadListWorker.class);
		assertThat(this.reflection.onConstructorInvocation(Order.class.getDeclaredConstructors()[0])).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Order.class, "id")).accepts(hints);
		// Found through Order's components.
		assertThat(this.reflection.onMethodInvocation(Line.class, "sku")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Refund.class, "reason")).accepts(hints);
	}

	@Test
	void typeVariablesAreBoundAsTheirBound() {
		RuntimeHints hints = hintsFor(TypeVariableWorker.class);
		assertThat(this.reflection.onMethodInvocation(Refund.class, "reason")).accepts(hints);
	}

	@Test
	void keyAndValueTypesOfRecordsCanBeBoundButNotTheRecordItself() {
		RuntimeHints hints = hintsFor(RecordWorker.class, RecordListWorker.class);
		assertThat(this.reflection.onMethodInvocation(OrderKey.class, "region")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Order.class, "id")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Refund.class, "reason")).accepts(hints);
		assertThat(this.reflection.onType(ConsumerRecord.class)).rejects(hints);
	}

	@Test
	void theInterfaceMethodThatAJdkProxyCallsCanBeInvoked() {
		RuntimeHints hints = hintsFor(ProxiedWorker.class);
		assertThat(this.reflection.onMethodInvocation(ProxiedWorker.class, "handle")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(OrderHandler.class, "handle")).accepts(hints);
	}

	@Test
	void unsupportedSignaturesStillGetTheirInvocationHint() {
		RuntimeHints hints = hintsFor(UnsupportedWorker.class);
		assertThat(this.reflection.onMethodInvocation(UnsupportedWorker.class, "twoParameters")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(UnsupportedWorker.class, "noParameter")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(UnsupportedWorker.class, "rawList")).accepts(hints);
	}

	private static RuntimeHints hintsFor(Class<?>... types) {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, types);
		return hints;
	}

	record OrderKey(String region) {

	}

	record Line(String sku, int quantity) {

	}

	record Order(String id, List<Line> lines) {

	}

	record Refund(String reason) {

	}

	public static class Workers {

		@KafkaBatchWorker(topics = "a")
		public void record(ConsumerRecord<String, String> record) {
		}

		@KafkaBatchWorker(topics = "b")
		public void payload(String payload) {
		}

		@KafkaBatchWorker(topics = "c")
		public void records(List<ConsumerRecord<String, String>> records) {
		}

		@KafkaBatchWorker(topics = "d")
		public void payloads(List<String> payloads) {
		}

		public void helper(Order order) {
		}

	}

	public static class PayloadWorker {

		@KafkaBatchWorker(topics = "orders")
		public void handle(Order order) {
		}

	}

	public static class PayloadListWorker {

		@KafkaBatchWorker(topics = "refunds")
		public void handle(List<Refund> refunds) {
		}

	}

	public static class TypeVariableWorker {

		@KafkaBatchWorker(topics = "refunds")
		public <T extends Refund> void handle(List<T> refunds) {
		}

	}

	public static class RecordWorker {

		@KafkaBatchWorker(topics = "orders")
		public void handle(ConsumerRecord<OrderKey, Order> record) {
		}

	}

	public static class RecordListWorker {

		@KafkaBatchWorker(topics = "refunds")
		public void handle(List<ConsumerRecord<String, Refund>> records) {
		}

	}

	interface OrderHandler {

		void handle(Order order);

	}

	public static class ProxiedWorker implements OrderHandler {

		@Override
		@KafkaBatchWorker(topics = "orders")
		public void handle(Order order) {
		}

	}

	public static class UnsupportedWorker {

		@KafkaBatchWorker(topics = "a")
		public void twoParameters(String key, String value) {
		}

		@KafkaBatchWorker(topics = "b")
		public void noParameter() {
		}

		@SuppressWarnings("rawtypes")
		@KafkaBatchWorker(topics = "c")
		public void rawList(List payloads) {
		}

	}

}
