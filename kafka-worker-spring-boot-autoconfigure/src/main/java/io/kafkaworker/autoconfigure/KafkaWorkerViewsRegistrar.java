package io.kafkaworker.autoconfigure;

import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.state.KafkaTableView;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Serde;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Registers a {@code TableView} bean for each {@code kafka.worker.views.<name>}, named
 * after the view and typed with its key and value types, so that
 * {@code TableView<String, Long>} injects it (with {@code @Qualifier} when there are
 * several). Bean definitions are registered before the context binds its
 * {@code @ConfigurationProperties}, so the views are bound here from the environment.
 */
final class KafkaWorkerViewsRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

	private Map<String, KafkaWorkerProperties.View> views = Map.of();

	@Override
	public void setEnvironment(Environment environment) {
		this.views = Binder.get(environment)
			.bind("kafka.worker.views", Bindable.mapOf(String.class, KafkaWorkerProperties.View.class))
			.orElseGet(Map::of);
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		this.views.forEach((name, view) -> registry.registerBeanDefinition(name, definition(name, view, registry)));
	}

	@SuppressWarnings("unchecked")
	private static RootBeanDefinition definition(String name, KafkaWorkerProperties.View view,
			BeanDefinitionRegistry registry) {
		String topic = view.getTopic();
		if (topic == null || topic.isBlank()) {
			throw new KafkaWorkerConfigurationException("View '" + name + "' has no topic",
					"Set kafka.worker.views." + name + ".topic to the table topic it replicates.");
		}
		Serde<Object> keys = GroupTables.serde(view.getKeyType(), "View '" + name + "'");
		Serde<Object> values = GroupTables.serde(view.getValueType(), "View '" + name + "'");
		RootBeanDefinition definition = new RootBeanDefinition(KafkaTableView.class, () -> {
			ConsumerFactory<Object, Object> consumers = ((BeanFactory) registry).getBean(ConsumerFactory.class);
			Properties overrides = new Properties();
			overrides.put("isolation.level", "read_committed");
			Supplier<Consumer<byte[], byte[]>> readers = () -> GroupTables.bytesConsumer(consumers,
					"kafka-worker-view-" + name, overrides);
			Class<Object> keyType = (Class<Object>) view.getKeyType();
			if (view.getStore() == KafkaWorkerProperties.Table.TableStoreType.ROCKSDB) {
				return new KafkaTableView<>(name, topic, readers, keyType, keys, values,
						GroupTables.rocksDb(view.getDirectory(), "view-" + name, true, "View '" + name
								+ "' keeps its rows in RocksDB (kafka.worker.views." + name + ".store=ROCKSDB)"));
			}
			return new KafkaTableView<>(name, topic, readers, keyType, keys, values);
		});
		definition.setTargetType(
				ResolvableType.forClassWithGenerics(KafkaTableView.class, view.getKeyType(), view.getValueType()));
		return definition;
	}

}
