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
	 * Transactional consume-process-produce. Not available yet: a worker declaring it
	 * fails at startup.
	 */
	EXACTLY_ONCE

}
