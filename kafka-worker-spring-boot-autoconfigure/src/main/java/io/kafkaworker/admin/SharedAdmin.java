package io.kafkaworker.admin;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link Admin} client of a {@link KafkaOffsets}, created on first use and closed
 * with it.
 *
 * <p>
 * One shared client rather than one per query: {@code Admin} is thread-safe, and each
 * client costs a network thread, connections and a metadata round trip before its first
 * answer, which a dashboard polling the endpoint would pay every few seconds. Created
 * lazily so that an application that never asks holds no connection, and so that a broker
 * down at startup fails no bean.
 */
final class SharedAdmin implements AutoCloseable {

	private final Map<String, Object> configuration;

	private final Duration closeTimeout;

	private final Object monitor = new Object();

	// Guarded by monitor.
	private @Nullable Admin admin;

	// Guarded by monitor.
	private boolean closed;

	SharedAdmin(Map<String, Object> configuration, Duration closeTimeout) {
		this.configuration = Map.copyOf(configuration);
		this.closeTimeout = closeTimeout;
	}

	Admin get() {
		synchronized (this.monitor) {
			if (this.closed) {
				throw new IllegalStateException("KafkaOffsets is closed");
			}
			Admin current = this.admin;
			if (current == null) {
				current = Admin.create(this.configuration);
				this.admin = current;
			}
			return current;
		}
	}

	@Override
	public void close() {
		Admin current;
		synchronized (this.monitor) {
			this.closed = true;
			current = this.admin;
			this.admin = null;
		}
		if (current != null) {
			current.close(this.closeTimeout);
		}
	}

}
