package io.kafkaworker.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.kafkaworker.container.HandlerInvocation;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.testsupport.ThrowawayPostgres;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The inbox under a {@link JpaTransactionManager} (Hibernate) over the same DataSource,
 * as with Spring Data JPA: the handler's entities and the inbox's rows (written with a
 * {@link JdbcTemplate}) commit or roll back together. On H2 and, where the machine has
 * it, a throwaway PostgreSQL cluster.
 */
class JpaInboxTests {

	private static final String TOPIC = "orders";

	private static ThrowawayPostgres postgres;

	private final List<List<Long>> calls = new ArrayList<>();

	private LocalContainerEntityManagerFactoryBean factory;

	private EntityManager entityManager;

	private JdbcTemplate jdbc;

	private InboxTable table;

	private JdbcInbox inbox;

	@AfterAll
	static void stopPostgres() throws Exception {
		if (postgres != null) {
			postgres.close();
		}
	}

	@AfterEach
	void close() {
		if (this.jdbc != null && this.table != null) {
			this.jdbc.execute("DROP TABLE IF EXISTS " + this.table.name());
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void theHandlersEntitiesAndTheInboxRowsCommitTogetherAndARedeliveryIsSkipped(String database) throws Exception {
		connect(database);
		HandlerInvocation invocation = this.inbox.decorate(persisting());
		invocation.invoke(items(0, 1));
		invocation.invoke(items(0, 1, 2));
		assertThat(this.calls).containsExactly(List.of(0L, 1L), List.of(2L));
		assertThat(inboxOffsets()).containsExactly(0L, 1L, 2L);
		assertThat(appliedOffsets()).containsExactly(0L, 1L, 2L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aFailedAttemptRollsBackTheEntitiesWithTheInboxRows(String database) throws Exception {
		connect(database);
		HandlerInvocation persisting = persisting();
		boolean[] failed = { false };
		HandlerInvocation invocation = this.inbox.decorate((records) -> {
			persisting.invoke(records);
			// The entities' INSERTs reach the database before the failure.
			this.entityManager.flush();
			if (!failed[0]) {
				failed[0] = true;
				throw new IllegalStateException("the handler fails after writing");
			}
			return null;
		});
		assertThatIllegalStateException().isThrownBy(() -> invocation.invoke(items(3, 4)))
			.withMessage("the handler fails after writing");
		assertThat(inboxOffsets()).isEmpty();
		assertThat(appliedOffsets()).isEmpty();
		invocation.invoke(items(3, 4));
		invocation.invoke(items(3, 4));
		assertThat(inboxOffsets()).containsExactly(3L, 4L);
		assertThat(appliedOffsets()).containsExactly(3L, 4L);
	}

	private void connect(String database) throws Exception {
		DataSource dataSource;
		if (database.equals("postgresql")) {
			if (postgres == null) {
				postgres = ThrowawayPostgres.start();
			}
			dataSource = new DriverManagerDataSource(postgres.url(), postgres.user(), "");
		}
		else {
			dataSource = new DriverManagerDataSource(
					"jdbc:h2:mem:jpa-inbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
		}
		this.factory = new LocalContainerEntityManagerFactoryBean();
		this.factory.setDataSource(dataSource);
		this.factory.setManagedTypes(PersistenceManagedTypes.of(AppliedRecord.class.getName()));
		this.factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
		this.factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "create-drop"));
		this.factory.afterPropertiesSet();
		EntityManagerFactory entityManagerFactory = this.factory.getObject();
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = new InboxTable(this.jdbc, "kafka_worker_inbox_jpa");
		new InboxSchema(dataSource, this.table.name(), DatabaseInitializationMode.ALWAYS).initialize();
		TransactionTemplate transactions = new TransactionTemplate(new JpaTransactionManager(entityManagerFactory));
		this.inbox = new JdbcInbox("worker", "group", this.table, transactions,
				new InboxPruner("worker", this.table, Runnable::run));
	}

	// The handler: one entity per record, through the transaction-bound EntityManager.
	private HandlerInvocation persisting() {
		return (records) -> {
			this.calls.add(records.stream().map((item) -> item.record().offset()).toList());
			for (WorkItem item : records) {
				this.entityManager.persist(new AppliedRecord(item.record().offset()));
			}
			return null;
		};
	}

	private List<Long> inboxOffsets() {
		return this.jdbc.queryForList("SELECT record_offset FROM " + this.table.name() + " ORDER BY record_offset",
				Long.class);
	}

	private List<Long> appliedOffsets() {
		return this.jdbc.queryForList("SELECT record_offset FROM applied_record ORDER BY record_offset", Long.class);
	}

	private static List<WorkItem> items(long... offsets) {
		PartitionOffsets partition = new PartitionOffsets(new TopicPartition(TOPIC, 0));
		List<WorkItem> items = new ArrayList<>();
		for (long offset : offsets) {
			items.add(new WorkItem(new ConsumerRecord<>(TOPIC, 0, offset, "key", "value"), partition,
					partition.receive(offset)));
		}
		return items;
	}

	/**
	 * The application's entity: one per applied record.
	 */
	@Entity
	@Table(name = "applied_record")
	public static class AppliedRecord {

		@Id
		@GeneratedValue
		private Long id;

		@Column(name = "record_offset")
		private long recordOffset;

		protected AppliedRecord() {
		}

		AppliedRecord(long recordOffset) {
			this.recordOffset = recordOffset;
		}

	}

}
