package io.kafkaworker.autoconfigure.inbox;

import javax.sql.DataSource;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.inbox.Inboxes;
import io.kafkaworker.testsupport.OrdersWorkerConfiguration;
import io.kafkaworker.testsupport.StartupFailures;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerJdbcInboxAutoConfiguration}: when the inbox is available,
 * when its table is created, and the startup failures of a worker with store JDBC that
 * the application cannot serve.
 */
class KafkaWorkerJdbcInboxAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class,
				KafkaWorkerJdbcInboxAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false",
				"spring.datasource.generate-unique-name=true");

	private final ApplicationContextRunner withDatabase = this.contextRunner.withConfiguration(AutoConfigurations
		.of(DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class));

	@Test
	void jdbcWorkerCreatesTheInboxTableInAnEmbeddedDatabase() {
		this.withDatabase.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Inboxes.class);
				assertThat(rows(context, "kafka_worker_inbox")).isZero();
			});
	}

	@Test
	void inboxTableTakesTheConfiguredName() {
		this.withDatabase.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.withPropertyValues("kafka.worker.exactly-once.jdbc.table-name=orders_inbox")
			.run((context) -> assertThat(rows(context, "orders_inbox")).isZero());
	}

	@Test
	void withoutJdbcWorkersTheDatabaseIsLeftUntouched() {
		this.withDatabase.withUserConfiguration(OrdersWorkerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(Inboxes.class);
			Integer tables = new JdbcTemplate(context.getBean(DataSource.class)).queryForObject(
					"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'kafka_worker_inbox'",
					Integer.class);
			assertThat(tables).isZero();
		});
	}

	@Test
	void startupWhenJdbcStoreHasNoDataSourceShouldFailNamingTheWorkerAndProperty() {
		this.contextRunner.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Worker 'orders' uses kafka.worker.workers.orders.exactly-once.store=JDBC")
				.hasMessageContaining("no DataSource"));
	}

	@Test
	void startupWhenJdbcStoreHasNoSpringJdbcShouldFailNamingTheWorkerAndProperty() {
		this.withDatabase.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Worker 'orders' uses kafka.worker.workers.orders.exactly-once.store=JDBC"));
	}

	@Test
	void startupWhenJdbcStoreHasNoTransactionManagerShouldFailNamingTheWorkerAndProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("Worker 'orders' uses kafka.worker.workers.orders.exactly-once.store=JDBC")
				.hasMessageContaining("no unique or primary PlatformTransactionManager"));
	}

	@Test
	void startupWhenTheNamedTransactionManagerDoesNotExistShouldFail() {
		this.withDatabase.withUserConfiguration(OrdersWorkerConfiguration.class)
			.withPropertyValues(jdbcStore("orders"))
			.withPropertyValues("kafka.worker.exactly-once.jdbc.transaction-manager=missing")
			.run((context) -> assertThat(failure(context)).hasMessageContaining("Worker 'orders'")
				.hasMessageContaining("kafka.worker.exactly-once.jdbc.transaction-manager names 'missing'"));
	}

	private static String[] jdbcStore(String worker) {
		return new String[] { "kafka.worker.workers." + worker + ".delivery=EXACTLY_ONCE",
				"kafka.worker.workers." + worker + ".exactly-once.store=JDBC" };
	}

	private static Integer rows(AssertableApplicationContext context, String table) {
		assertThat(context).hasNotFailed();
		return new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT COUNT(*) FROM " + table,
				Integer.class);
	}

	private static KafkaWorkerConfigurationException failure(AssertableApplicationContext context) {
		return StartupFailures.configurationFailure(context);
	}

}
