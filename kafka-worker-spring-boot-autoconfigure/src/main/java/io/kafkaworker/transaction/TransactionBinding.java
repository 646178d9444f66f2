package io.kafkaworker.transaction;

import org.jspecify.annotations.Nullable;

/**
 * Which transaction the handler running on the current thread belongs to. A lane thread
 * runs handlers of several consumers' transactions one after another, so the binding is
 * set around each handler call, never left behind.
 */
public final class TransactionBinding {

	private static final ThreadLocal<@Nullable Bound> CURRENT = new ThreadLocal<>();

	private TransactionBinding() {
	}

	/**
	 * Bind a transaction to the current thread.
	 * @param transaction the transaction
	 * @return the binding to close after the handler call
	 */
	public static Scope bind(KafkaTransaction transaction) {
		Bound previous = CURRENT.get();
		CURRENT.set(new Bound(transaction, transaction.epoch()));
		return () -> {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		};
	}

	/**
	 * Return the transaction bound to the current thread.
	 * @return the transaction, or null outside a transactional handler call
	 */
	public static @Nullable KafkaTransaction current() {
		Bound bound = CURRENT.get();
		return (bound != null) ? bound.transaction : null;
	}

	/**
	 * Return whether the transaction that the call on the current thread belongs to has
	 * ended (committed or, since the call is still running, aborted): nothing the call
	 * sends now can be part of it.
	 * @return true if the thread is bound and its transaction is no longer open
	 */
	public static boolean hasEnded() {
		Bound bound = CURRENT.get();
		return bound != null && !bound.transaction.isOpen(bound.epoch);
	}

	/**
	 * Return which of a transaction's transactions the handler call on the current thread
	 * belongs to: the one open when the call started.
	 * @param transaction the transaction
	 * @return its epoch when it was bound, or -1 if the thread is not bound to it
	 */
	static long epochOf(KafkaTransaction transaction) {
		Bound bound = CURRENT.get();
		return (bound != null && bound.transaction == transaction) ? bound.epoch : -1;
	}

	private record Bound(KafkaTransaction transaction, long epoch) {

	}

	/**
	 * An open binding.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
