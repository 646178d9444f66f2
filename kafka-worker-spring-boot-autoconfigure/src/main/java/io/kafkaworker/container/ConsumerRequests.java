package io.kafkaworker.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Requests from other threads (a drain's commit, an operator's seek) that a consumer
 * session runs on its consumer thread before the next poll.
 *
 * <p>
 * No request is ever orphaned. A session ends when a rebalance revokes its last partition
 * or the worker closes; a request still queued then is ended on the spot with
 * {@link Request#sessionEnded()}, and a request submitted after the end is ended at once.
 * Without this, a drain that queued its commit just before an eager rebalance emptied the
 * session waited for the whole shutdown timeout for a request nobody would run.
 */
final class ConsumerRequests {

	private final Queue<Request> queue = new ArrayDeque<>();

	private boolean ended;

	/**
	 * Queue a request for the consumer thread, or end it at once if the session ended.
	 * @param request the request
	 */
	void submit(Request request) {
		synchronized (this) {
			if (!this.ended) {
				this.queue.add(request);
				return;
			}
		}
		request.sessionEnded();
	}

	/**
	 * Queue a task for the consumer thread and return its result.
	 * @param <T> the result's type
	 * @param task runs on the consumer thread; what it throws fails the future
	 * @param ifEnded gives the result if the session ends before the task runs; what it
	 * throws fails the future
	 * @return completes with the task's result
	 */
	<T extends @Nullable Object> CompletableFuture<T> call(Supplier<T> task, Supplier<T> ifEnded) {
		CompletableFuture<T> done = new CompletableFuture<>();
		submit(new Request() {

			@Override
			public void run() {
				complete(done, task);
			}

			@Override
			public void sessionEnded() {
				complete(done, ifEnded);
			}

		});
		return done;
	}

	private static <T extends @Nullable Object> void complete(CompletableFuture<T> done, Supplier<T> result) {
		try {
			done.complete(result.get());
		}
		catch (RuntimeException ex) {
			done.completeExceptionally(ex);
		}
	}

	/**
	 * Run the queued requests, in order. Runs on the consumer thread.
	 */
	void runQueued() {
		Request request;
		while ((request = next()) != null) {
			request.run();
		}
	}

	/**
	 * End the session's requests: the queued ones and every later one are ended with
	 * {@link Request#sessionEnded()}.
	 */
	void end() {
		List<Request> pending;
		synchronized (this) {
			this.ended = true;
			pending = new ArrayList<>(this.queue);
			this.queue.clear();
		}
		pending.forEach(Request::sessionEnded);
	}

	private synchronized @Nullable Request next() {
		return this.queue.poll();
	}

	/**
	 * A request to run on the consumer thread.
	 */
	interface Request {

		/**
		 * Run the request on the consumer thread.
		 */
		void run();

		/**
		 * The session ended before the request ran: complete it with what the session's
		 * end did, or fail it with the reason.
		 */
		void sessionEnded();

	}

}
