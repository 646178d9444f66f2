package io.kafkaworker.state;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

	// Threads of its own: the common pool may have a single thread on a small machine,
	// which
	// the waiting call would hold.
	@Test
	void aRowWaitsForItsHolderAndOtherRowsDoNot() throws Exception {
		ExecutorService threads = Executors.newCachedThreadPool();
		Runnable unlockA = this.locks.lock(0, key("a"));
		try {
			CountDownLatch secondHasA = new CountDownLatch(1);
			CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
				Runnable unlock = this.locks.lock(0, key("a"));
				secondHasA.countDown();
				unlock.run();
			}, threads);
			CompletableFuture.runAsync(() -> this.locks.lock(0, key("b")).run(), threads).get(5, TimeUnit.SECONDS);
			CompletableFuture.runAsync(() -> this.locks.lock(1, key("a")).run(), threads).get(5, TimeUnit.SECONDS);
			assertThat(secondHasA.await(200, TimeUnit.MILLISECONDS)).as("row a while held").isFalse();
			unlockA.run();
			unlockA = null;
			second.get(5, TimeUnit.SECONDS);
			assertThat(secondHasA.getCount()).isZero();
			assertThat(this.locks.size()).isZero();
		}
		finally {
			if (unlockA != null) {
				unlockA.run();
			}
			threads.shutdownNow();
		}
	}

	private static Bytes key(String key) {
		return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
	}

}
