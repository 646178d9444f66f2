package io.kafkaworker.autoconfigure.inbox;

import javax.sql.DataSource;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.autoconfigure.KafkaWorkerProperties;
import io.kafkaworker.inbox.InboxSchema;
import io.kafkaworker.inbox.InboxTable;
import io.kafkaworker.inbox.Inboxes;
import io.kafkaworker.inbox.JdbcInboxes;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.transaction.KafkaAwareTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of the database inbox of workers with delivery EXACTLY_ONCE and
 * exactly-once.store JDBC. Only active with spring-jdbc on the class path and a single
 * (or primary) DataSource; without it, a worker that asks for the JDBC store fails at
 * startup with a message naming it.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnClass({ KafkaBatchWorker.class, JdbcTemplate.class, PlatformTransactionManager.class,
		EmbeddedDatabaseConnection.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "kafka.worker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KafkaWorkerProperties.class)
public final class KafkaWorkerJdbcInboxAutoConfiguration {

	private static final String TRANSACTION_MANAGER_PROPERTY = "kafka.worker.exactly-once.jdbc.transaction-manager";

	@Bean
	@ConditionalOnMissingBean(Inboxes.class)
	JdbcInboxes kafkaWorkerInboxes(ObjectProvider<DataSource> dataSource, KafkaWorkerProperties properties,
			ObjectProvider<PlatformTransactionManager> transactionManagers, BeanFactory beanFactory) {
		KafkaWorkerProperties.Jdbc jdbc = properties.getExactlyOnce().getJdbc();
		DataSource database = dataSource.getObject();
		InboxTable table = new InboxTable(new JdbcTemplate(database), jdbc.getTableName());
		InboxSchema schema = new InboxSchema(database, jdbc.getTableName(), jdbc.getInitializeSchema());
		String name = jdbc.getTransactionManager();
		return new JdbcInboxes(table, schema, () -> transactionManager(name, transactionManagers, beanFactory),
				TRANSACTION_MANAGER_PROPERTY);
	}

	// Resolved when the first worker with store JDBC is created, so that an application
	// whose workers do not use the inbox needs no transaction manager.
	private static PlatformTransactionManager transactionManager(@Nullable String name,
			ObjectProvider<PlatformTransactionManager> transactionManagers, BeanFactory beanFactory) {
		PlatformTransactionManager manager;
		if (name != null) {
			try {
				manager = beanFactory.getBean(name, PlatformTransactionManager.class);
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new IllegalStateException(
						TRANSACTION_MANAGER_PROPERTY + " names '" + name + "', which is no PlatformTransactionManager",
						ex);
			}
		}
		else {
			manager = transactionManagers.getIfUnique();
			if (manager == null) {
				throw new IllegalStateException(
						"the application has no unique or primary PlatformTransactionManager for the inbox's DataSource");
			}
		}
		if (manager instanceof KafkaAwareTransactionManager<?, ?>) {
			// Its transactions are Kafka's: the inbox rows would be written outside them.
			throw new IllegalStateException("the transaction manager " + manager.getClass().getName()
					+ " manages Kafka transactions, not the inbox's DataSource");
		}
		return manager;
	}

}
