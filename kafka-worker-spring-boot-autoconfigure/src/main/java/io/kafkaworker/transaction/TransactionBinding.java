package io.kafkaworker.transaction;

import org.jspecify.annotations.Nullable;

/**
 * Which transaction the handler running on the current thread belongs to. A lane thread
 * runs handlers of several consumers' transactions one after another, so the binding is
 * set around each handler call, never left behind.
 */
public final class TransactionBinding {

	private static final ThreadLocal<@Nullable KafkaTransaction> CURRENT = new ThreadLocal<>();

	private TransactionBinding() {
	}

	/**
	 * Bind a transaction to the current thread.
	 * @param transaction the transaction
	 * @return the binding to close after the handler call
	 */
	public static Scope bind(KafkaTransaction transaction) {
		KafkaTransaction previous = CURRENT.get();
		CURRENT.set(transaction);
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
		return CURRENT.get();
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
