package io.kafkaworker.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The client properties of named clusters ({@code kafka.worker.clusters.<name>}), to lay
 * over the properties Spring Boot gives its own clients: the brokers and whatever else
 * the cluster sets.
 */
final class NamedClusters {

	private final Map<String, KafkaWorkerProperties.Cluster> clusters;

	NamedClusters(Map<String, KafkaWorkerProperties.Cluster> clusters) {
		this.clusters = clusters;
	}

	/**
	 * Return what a cluster sets over Spring Boot's client properties.
	 * @param name the cluster's name
	 * @param who who selects it, with the property, for the error
	 * @return the properties
	 * @throws KafkaWorkerConfigurationException if there is no such cluster, or it has no
	 * brokers
	 */
	Map<String, Object> overrides(String name, String who) {
		KafkaWorkerProperties.Cluster cluster = this.clusters.get(name);
		if (cluster == null) {
			throw new KafkaWorkerConfigurationException(
					who + " selects cluster '" + name + "', which is not configured (clusters: "
							+ this.clusters.keySet() + ")",
					"Configure kafka.worker.clusters." + name + ".bootstrap-servers, or select another cluster.");
		}
		if (cluster.getBootstrapServers().isEmpty()) {
			throw new KafkaWorkerConfigurationException("Cluster '" + name + "' has no brokers",
					"Set kafka.worker.clusters." + name + ".bootstrap-servers.");
		}
		Map<String, Object> overrides = new LinkedHashMap<>(cluster.getProperties());
		overrides.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", cluster.getBootstrapServers()));
		return overrides;
	}

}
