package io.kafkaworker.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * Whether a cluster offers the consumer group protocol of KIP-848, asked once per
 * connection configuration when the workers are registered.
 *
 * <p>
 * A broker offers it when its finalized {@code group.version} feature is 1 or more (Kafka
 * 4.0 on; 3.7–3.9 only if enabled by hand). A consumer configured with
 * {@code group.protocol=consumer} against a broker without it fails, so the engine asks
 * first. An unreachable cluster (no bootstrap address accepts a connection within half a
 * second, as in tests without a broker) or an unanswered question counts as "no": the
 * worker then uses the classic protocol, as Kafka's own default does.
 */
final class ConsumerProtocolSupport {

	private static final Log logger = LogFactory.getLog(ConsumerProtocolSupport.class);

	private static final String GROUP_VERSION = "group.version";

	private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

	private final Map<Map<String, Object>, Boolean> answers = new ConcurrentHashMap<>();

	/**
	 * Return whether the cluster that a consumer configuration connects to offers the
	 * consumer group protocol.
	 * @param consumerConfiguration the consumer's configuration (connection settings are
	 * picked from it)
	 * @return true if it does; false if it does not or did not answer
	 */
	boolean offeredBy(Map<String, Object> consumerConfiguration) {
		Map<String, Object> connection = new HashMap<>();
		consumerConfiguration.forEach((name, value) -> {
			if (AdminClientConfig.configNames().contains(name) && value != null) {
				connection.put(name, value);
			}
		});
		return this.answers.computeIfAbsent(Map.copyOf(connection), this::ask);
	}

	private boolean ask(Map<String, Object> connection) {
		List<String> servers = bootstrapServers(connection.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
		if (servers.stream().noneMatch(ConsumerProtocolSupport::accepts)) {
			return false;
		}
		Map<String, Object> configuration = new HashMap<>(connection);
		configuration.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT.toMillis());
		configuration.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ANSWER_TIMEOUT.toMillis());
		Admin admin = null;
		try {
			admin = Admin.create(configuration);
			FeatureMetadata features = admin.describeFeatures()
				.featureMetadata()
				.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			FinalizedVersionRange groupVersion = features.finalizedFeatures().get(GROUP_VERSION);
			return groupVersion != null && groupVersion.maxVersionLevel() >= 1;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			logger.info("Could not ask " + servers + " whether it offers the consumer group protocol (KIP-848); "
					+ "workers without group.protocol use the classic protocol: " + ex);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			if (admin != null) {
				// Bounded: an unanswered request would otherwise hold the close, and the
				// application's startup, until the request's own timeout.
				admin.close(CLOSE_TIMEOUT);
			}
		}
	}

	private static List<String> bootstrapServers(@Nullable Object value) {
		if (value instanceof Collection<?> servers) {
			return servers.stream().map(String::valueOf).map(String::trim).toList();
		}
		return (value != null) ? Arrays.stream(value.toString().split(",")).map(String::trim).toList() : List.of();
	}

	// Only a connection attempt: cheap, and refused at once where nothing listens.
	private static boolean accepts(String server) {
		String host = Utils.getHost(server);
		Integer port = Utils.getPort(server);
		if (host == null || port == null) {
			return false;
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
			return true;
		}
		catch (IOException | IllegalArgumentException ex) {
			return false;
		}
	}

}
