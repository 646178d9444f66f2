package io.kafkaworker.container;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.KafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ShareConsumerFactory;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Creates the containers of share-group workers from their endpoints, with the share
 * consumer factory of the application (or one made from its consumer settings) and its
 * admin, which sets the configs the workers give their groups.
 */
public final class ShareWorkerContainerFactory implements KafkaListenerContainerFactory<ShareWorkerContainer> {

	private final ShareConsumerFactory<Object, Object> consumerFactory;

	private final @Nullable KafkaAdmin admin;

	/**
	 * Create the factory.
	 * @param consumerFactory creates the share consumers
	 * @param admin the application's admin, or null if it has none
	 */
	public ShareWorkerContainerFactory(ShareConsumerFactory<Object, Object> consumerFactory,
			@Nullable KafkaAdmin admin) {
		this.consumerFactory = consumerFactory;
		this.admin = admin;
	}

	@Override
	public ShareWorkerContainer createListenerContainer(KafkaListenerEndpoint endpoint) {
		if (!(endpoint instanceof WorkerEndpoint worker) || !worker.getSettings().shareGroup()) {
			throw new IllegalArgumentException("Only share-group workers' endpoints: " + endpoint);
		}
		ShareWorkerContainer container = new ShareWorkerContainer(worker.getSettings(), this.consumerFactory,
				worker.consumerOverrides(), this.admin);
		endpoint.setupListenerContainer(container, null);
		return container;
	}

	@Override
	public ShareWorkerContainer createContainer(TopicPartitionOffset... topicPartitions) {
		throw new UnsupportedOperationException("Share-group workers are created from their endpoints");
	}

	@Override
	public ShareWorkerContainer createContainer(String... topics) {
		throw new UnsupportedOperationException("Share-group workers are created from their endpoints");
	}

	@Override
	public ShareWorkerContainer createContainer(Pattern topicPattern) {
		throw new UnsupportedOperationException("Share-group workers are created from their endpoints");
	}

}
