package io.kafkaworker.container;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * Sets the configs of a share-group worker's group ({@code share.*}) on the broker,
 * before its consumers join: {@code share.auto.offset.reset} decides where the group
 * starts on a partition the first time one of its members fetches it, so set later it
 * would miss what a first fetch already skipped.
 *
 * <p>
 * Through an admin client made from the application's {@link KafkaAdmin} configuration
 * (Spring Kafka's {@code KafkaAdmin} has no call for group configs), closed once done.
 * Only the configs the worker sets are altered ({@code SET}, never a whole replacement),
 * so configs an operator gave the group stay. A broker that refuses them fails the
 * worker's start, naming the property: a worker that ran anyway would start somewhere
 * else than the application asked, for example at the latest records instead of the
 * backlog.
 */
final class ShareGroupConfigs {

	private static final Log logger = LogFactory.getLog(ShareGroupConfigs.class);

	// Beyond the admin's own operation timeout, after which its call fails by itself.
	private static final Duration MARGIN = Duration.ofSeconds(5);

	private ShareGroupConfigs() {
	}

	/**
	 * Set the configs a share-group worker gives its group, if any.
	 * @param settings the worker's settings
	 * @param kafkaAdmin the application's admin, or null if it has none
	 * @throws KafkaWorkerConfigurationException if there is no admin, or the broker did
	 * not set them
	 */
	static void apply(WorkerSettings settings, @Nullable KafkaAdmin kafkaAdmin) {
		ShareGroupSettings share = settings.share();
		List<ShareGroupSettings.GroupConfig> configs = (share != null) ? share.groupConfigs() : List.of();
		if (configs.isEmpty()) {
			return;
		}
		String prefix = "kafka.worker.workers." + settings.id() + ".";
		String properties = configs.stream()
			.map((config) -> prefix + config.property())
			.collect(Collectors.joining(", "));
		String values = configs.stream()
			.map((config) -> config.name() + "=" + config.value())
			.collect(Collectors.joining(", "));
		String what = "Worker '" + settings.id() + "' could not set " + values + " on share group '"
				+ settings.groupId() + "' (" + properties + ")";
		if (kafkaAdmin == null) {
			throw new KafkaWorkerConfigurationException(what + ": the application has no KafkaAdmin bean.",
					"Let Spring Boot auto-configure Kafka (or define one KafkaAdmin bean), or remove " + properties
							+ " and set the group's configs with kafka-configs.sh --entity-type groups.");
		}
		Duration timeout = Duration.ofSeconds(kafkaAdmin.getOperationTimeout());
		List<AlterConfigOp> operations = configs.stream()
			.map((config) -> new AlterConfigOp(new ConfigEntry(config.name(), config.value()),
					AlterConfigOp.OpType.SET))
			.toList();
		try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
			admin
				.incrementalAlterConfigs(
						Map.of(new ConfigResource(ConfigResource.Type.GROUP, settings.groupId()), operations),
						new AlterConfigsOptions().timeoutMs((int) timeout.toMillis()))
				.all()
				.get(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(what + ": interrupted", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new KafkaWorkerConfigurationException(what + ": " + cause,
					"Check that the brokers run Kafka 4.2 or later with share groups on (share.version), that the "
							+ "application may alter the group's configs (ALTER_CONFIGS on group '" + settings.groupId()
							+ "') and that the values are within the broker's limits; or " + "remove " + properties
							+ " and set the group's configs with kafka-configs.sh " + "--entity-type groups.",
					cause);
		}
		logger.info("Worker '" + settings.id() + "' set " + values + " on share group '" + settings.groupId() + "' ("
				+ properties + ")");
	}

}
