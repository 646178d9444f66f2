package io.kafkaworker.inbox;

import io.kafkaworker.container.InvocationDecorator;
import io.kafkaworker.container.WorkerSettings;

/**
 * Creates the inbox of each worker with store JDBC. An interface free of JDBC types, so
 * that the main auto-configuration can ask for it whether or not spring-jdbc is present.
 */
@FunctionalInterface
public interface Inboxes {

	/**
	 * Create the inbox of a worker.
	 * @param settings the worker's settings, with store JDBC
	 * @return the decorator that runs the worker's handler calls through the inbox
	 */
	InvocationDecorator inbox(WorkerSettings settings);

}
