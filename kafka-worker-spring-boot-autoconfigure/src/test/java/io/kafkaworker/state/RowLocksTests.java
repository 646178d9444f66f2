package io.kafkaworker.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row has one holder at a time; other rows are not held up, and a row's lock is gone
 * once nobody holds or waits for it.
 */
class RowLocksTests {

	private final RowLocks locks = new RowLocks();

	@Test
	void aRowWaitsForItsHolderAndOtherRowsDoNot() throws Exception {
		Runnable unlockA = this.locks.lock(0, key("a"));
		CountDownLatch secondHasA = new CountDownLatch(1);
		CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
			Runnable unlock = this.locks.lock(0, key("a"));
			secondHasA.countDown();
			unlock.run();
		});
		CompletableFuture.runAsync(() -> this.locks.lock(0, key("b")).run()).get(5, TimeUnit.SECONDS);
		CompletableFuture.runAsync(() -> this.locks.lock(1, key("a")).run()).get(5, TimeUnit.SECONDS);
		assertThat(secondHasA.await(200, TimeUnit.MILLISECONDS)).as("row a while held").isFalse();
		unlockA.run();
		second.get(5, TimeUnit.SECONDS);
		assertThat(secondHasA.getCount()).isZero();
		assertThat(this.locks.size()).isZero();
	}

	private static Bytes key(String key) {
		return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
	}

}
