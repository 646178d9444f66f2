package io.kafkaworker.annotation;

/**
 * The delivery guarantee of a worker.
 */
public enum Delivery {

	/**
	 * Use the configured default ({@code kafka.worker.defaults.delivery}). Only
	 * meaningful on the annotation.
	 */
	DEFAULT,

	/**
	 * No record is lost: an offset is committed only once the record and every earlier
	 * record of its partition are complete. A crash or rebalance may redeliver records
	 * handled after the last commit.
	 */
	AT_LEAST_ONCE,

	/**
	 * No record is handled twice: offsets are committed before records are handed to the
	 * handler. Records that are fetched but not handled when the worker crashes, or when
	 * their partition is revoked, are lost; a failing record is logged and skipped.
	 */
	AT_MOST_ONCE,

	/**
	 * Each record's effect is applied once, through crashes, rebalances and handler
	 * failures. Where the proof is kept depends on {@code exactly-once.store}: with
	 * {@code KAFKA} (the default), what the handler sends through the
	 * {@code TransactionalSender} and the input offsets commit in one Kafka transaction,
	 * so that {@code read_committed} consumers see each input's output once; with
	 * {@code JDBC}, each handler call runs in a database transaction with an inbox row
	 * per record, and a redelivered record is skipped without calling the handler.
	 */
	EXACTLY_ONCE

}
