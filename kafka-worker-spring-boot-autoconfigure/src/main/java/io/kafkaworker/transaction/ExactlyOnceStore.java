package io.kafkaworker.transaction;

/**
 * Where a worker with {@code delivery = EXACTLY_ONCE} keeps the proof that a record's
 * effect was applied.
 */
public enum ExactlyOnceStore {

	/**
	 * Kafka transactions: what the handler sends through the {@link TransactionalSender}
	 * and the input offsets commit atomically; read_committed consumers of the output
	 * never see a record's output twice.
	 */
	KAFKA,

	/**
	 * A database inbox: the starter records each record's coordinates in a table, inside
	 * the handler's own Spring transaction, and skips a redelivered record that is found
	 * there. Offsets are committed as with at-least-once.
	 */
	JDBC

}
