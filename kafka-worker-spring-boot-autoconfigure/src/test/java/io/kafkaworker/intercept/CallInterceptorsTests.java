package io.kafkaworker.intercept;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The interceptors of a worker: those that apply, in order; none at all when none apply;
 * a {@code before} that throws fails the attempt, an {@code after} or {@code failed} that
 * throws changes nothing.
 */
class CallInterceptorsTests {

	private final List<String> calls = new ArrayList<>();

	private final List<ConsumerRecord<?, ?>> records = List.of(new ConsumerRecord<>("orders", 2, 7L, "k", "v"));

	@Test
	void interceptorsThatApplyRunInOrderAroundEachAttempt() {
		CallInterceptors interceptors = CallInterceptors.of("orders",
				List.of(new Recording("a", null), new Recording("b", "payments"), new Recording("c", null)));
		WorkerCall call = interceptors.before(this.records, 1);
		interceptors.failed(call, this.records, 1, new IllegalStateException("boom"), System.nanoTime());
		WorkerCall second = interceptors.before(this.records, 2);
		interceptors.after(second, System.nanoTime());
		assertThat(this.calls).containsExactly("a.before orders-2@7#1", "c.before orders-2@7#1", "a.failed boom #1",
				"c.failed boom #1", "a.before orders-2@7#2", "c.before orders-2@7#2", "a.after #2", "c.after #2");
	}

	@Test
	void noInterceptorThatAppliesMeansNone() {
		assertThat(CallInterceptors.of("orders", List.of(new Recording("b", "payments"))))
			.isSameAs(CallInterceptors.NONE);
		assertThat(CallInterceptors.NONE.before(this.records, 1)).isNull();
		CallInterceptors.NONE.after(null, System.nanoTime());
		CallInterceptors.NONE.failed(null, this.records, 1, new IllegalStateException(), System.nanoTime());
	}

	@Test
	void aBeforeThatThrowsFailsTheAttemptAndFailedStillHearsOfIt() {
		WorkerInterceptor refusing = new WorkerInterceptor() {

			@Override
			public void before(WorkerCall call) {
				throw new IllegalStateException("refused");
			}

		};
		CallInterceptors interceptors = CallInterceptors.of("orders", List.of(refusing, new Recording("a", null)));
		assertThatIllegalStateException().isThrownBy(() -> interceptors.before(this.records, 1)).withMessage("refused");
		interceptors.failed(null, this.records, 1, new IllegalStateException("refused"), System.nanoTime());
		assertThat(this.calls).containsExactly("a.failed refused #1");
	}

	@Test
	void anAfterThatThrowsChangesNothingForTheOthers() {
		WorkerInterceptor throwing = new WorkerInterceptor() {

			@Override
			public void after(WorkerCall call, Duration took) {
				throw new IllegalStateException("broken");
			}

		};
		CallInterceptors interceptors = CallInterceptors.of("orders", List.of(throwing, new Recording("a", null)));
		interceptors.after(interceptors.before(this.records, 1), System.nanoTime());
		assertThat(this.calls).containsExactly("a.before orders-2@7#1", "a.after #1");
	}

	private final class Recording implements WorkerInterceptor {

		private final String name;

		private final String only;

		Recording(String name, String only) {
			this.name = name;
			this.only = only;
		}

		@Override
		public boolean appliesTo(String workerId) {
			return this.only == null || this.only.equals(workerId);
		}

		@Override
		public void before(WorkerCall call) {
			ConsumerRecord<?, ?> record = call.records().get(0);
			CallInterceptorsTests.this.calls.add(this.name + ".before " + record.topic() + "-" + record.partition()
					+ "@" + record.offset() + "#" + call.attempt());
		}

		@Override
		public void after(WorkerCall call, Duration took) {
			CallInterceptorsTests.this.calls.add(this.name + ".after #" + call.attempt());
		}

		@Override
		public void failed(WorkerCall call, Throwable failure, Duration took) {
			CallInterceptorsTests.this.calls.add(this.name + ".failed " + failure.getMessage() + " #" + call.attempt());
		}

	}

}
