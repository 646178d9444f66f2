package io.kafkaworker.inbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.kafkaworker.container.HandlerInvocation;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.testsupport.ThrowawayPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The inbox against real databases: an embedded H2 and, where the machine has PostgreSQL,
 * a throwaway PostgreSQL cluster (skipped otherwise). The handler writes into an
 * application table {@code applied} without a unique key, in the inbox's transaction, so
 * a record applied twice would show as two rows.
 */
class JdbcInboxTests {

	private static final String GROUP = "group";

	private static final String TOPIC = "orders";

	private static ThrowawayPostgres postgres;

	private final List<List<Long>> calls = new CopyOnWriteArrayList<>();

	private DataSource dataSource;

	private JdbcTemplate jdbc;

	private InboxTable table;

	private TransactionTemplate transactions;

	@AfterAll
	static void stopPostgres() throws Exception {
		if (postgres != null) {
			postgres.close();
		}
	}

	@AfterEach
	void dropTables() {
		if (this.jdbc != null) {
			this.jdbc.execute("DROP TABLE " + this.table.name());
			this.jdbc.execute("DROP TABLE applied");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aRecordIsRecordedWithTheHandlersWritesAndSkippedWhenRedelivered(String database) throws Exception {
		connect(database);
		JdbcInbox inbox = inbox(Runnable::run);
		HandlerInvocation invocation = inbox.decorate(applying());
		invocation.invoke(items(0, 7));
		invocation.invoke(items(7));
		invocation.invoke(items(0, 7));
		assertThat(this.calls).containsExactly(List.of(0L, 7L));
		assertThat(inboxOffsets(0)).containsExactly(0L, 7L);
		assertThat(appliedCount(0, 7)).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aBatchWithSomeRecordsAlreadyAppliedPassesOnlyTheOthersInOrder(String database) throws Exception {
		connect(database);
		JdbcInbox inbox = inbox(Runnable::run);
		HandlerInvocation invocation = inbox.decorate(applying());
		invocation.invoke(items(1, 3));
		List<WorkItem> batch = new ArrayList<>(items(0, 1, 2, 3, 4));
		batch.add(item(1, 1));
		invocation.invoke(batch);
		assertThat(this.calls).containsExactly(List.of(1L, 3L), List.of(0L, 2L, 4L, 1L));
		for (long offset = 0; offset < 5; offset++) {
			assertThat(appliedCount(0, offset)).as("offset %d", offset).isOne();
		}
		assertThat(appliedCount(1, 1)).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aFailedAttemptRollsBackItsInboxRowsAndTheHandlersWritesThenTheRetryAppliesOnce(String database)
			throws Exception {
		connect(database);
		JdbcInbox inbox = inbox(Runnable::run);
		boolean[] failed = { false };
		HandlerInvocation invocation = inbox.decorate((records) -> {
			applying().invoke(records);
			if (!failed[0]) {
				failed[0] = true;
				throw new IOException("the handler's checked exception");
			}
			return null;
		});
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> invocation.invoke(items(3, 4)))
			.withMessage("the handler's checked exception");
		assertThat(inboxOffsets(0)).isEmpty();
		assertThat(appliedCount(0, 3)).isZero();
		invocation.invoke(items(3, 4));
		assertThat(inboxOffsets(0)).containsExactly(3L, 4L);
		assertThat(appliedCount(0, 3)).isOne();
		assertThat(appliedCount(0, 4)).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void twoInstancesRacingForARecordEndWithExactlyOneApplyingIt(String database) throws Exception {
		connect(database);
		CountDownLatch firstInHandler = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		HandlerInvocation first = inbox(Runnable::run).decorate((records) -> {
			applying().invoke(records);
			firstInHandler.countDown();
			releaseFirst.await(10, TimeUnit.SECONDS);
			return null;
		});
		HandlerInvocation second = inbox(Runnable::run).decorate(applying());
		CompletableFuture<Void> firstAttempt = CompletableFuture.runAsync(() -> invokeUnchecked(first, items(5)));
		assertThat(firstInHandler.await(10, TimeUnit.SECONDS)).isTrue();
		// The second instance inserts the same row while the first's transaction holds
		// it: it waits for that transaction, then fails on the primary key.
		CompletableFuture<Void> secondAttempt = CompletableFuture.runAsync(() -> invokeUnchecked(second, items(5)));
		Thread.sleep(500);
		releaseFirst.countDown();
		firstAttempt.get(10, TimeUnit.SECONDS);
		// Usually the second insert waited for the first transaction and failed on the
		// primary key; on a loaded machine it may have started only after the first
		// committed, and then found the row and skipped. Either way nothing applied
		// twice.
		try {
			secondAttempt.get(10, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			assertThat(ex).rootCause().isInstanceOf(java.sql.SQLException.class);
		}
		// The retry of the second instance finds the row and skips the record.
		second.invoke(items(5));
		assertThat(this.calls).hasSize(1);
		assertThat(appliedCount(0, 5)).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aCommitPrunesTheRowsBelowTheCommittedOffsetsOfItsPartitionsOnly(String database) throws Exception {
		connect(database);
		Executor pruning = (task) -> new Thread(task).start();
		JdbcInbox inbox = inbox(pruning);
		HandlerInvocation invocation = inbox.decorate(applying());
		invocation.invoke(items(0, 1, 2, 3, 4));
		invocation.invoke(List.of(item(1, 0), item(1, 1)));
		inbox.committed(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)));
		inbox.committed("another-group", Map.of(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(5)));
		await().atMost(java.time.Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(inboxOffsets(0)).containsExactly(3L, 4L));
		assertThat(inboxOffsets(1)).containsExactly(0L, 1L);
		assertThat(pruneMarks(0)).containsExactly(-4L);
		assertThat(pruneMarks(1)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aRecordBelowWherePruningPassedCountsAsAppliedForAConsumerThatStillHeldIt(String database) throws Exception {
		connect(database);
		JdbcInbox inbox = inbox(Runnable::run);
		HandlerInvocation invocation = inbox.decorate(applying());
		invocation.invoke(items(0, 1, 2, 3, 4));
		// The partition's next owner committed 3 and pruned: the rows of 0 to 2 are gone.
		inbox.committed(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)));
		assertThat(inboxOffsets(0)).containsExactly(3L, 4L);
		// A consumer stopped while it held 1 and 2 wakes up and calls the handler.
		invocation.invoke(items(1, 2, 5));
		assertThat(this.calls).containsExactly(List.of(0L, 1L, 2L, 3L, 4L), List.of(5L));
		for (long offset = 0; offset < 6; offset++) {
			assertThat(appliedCount(0, offset)).as("offset %d", offset).isOne();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aPartitionKeepsOneMarkAtTheHighestOffsetItWasPrunedAt(String database) throws Exception {
		connect(database);
		InboxPruner pruner = new InboxPruner("worker", this.table, Runnable::run);
		TopicPartition partition = new TopicPartition(TOPIC, 0);
		pruner.prune(GROUP, Map.of(partition, new OffsetAndMetadata(10)));
		pruner.prune(GROUP, Map.of(partition, new OffsetAndMetadata(10)));
		pruner.prune(GROUP, Map.of(partition, new OffsetAndMetadata(25)));
		assertThat(pruneMarks(0)).containsExactly(-26L);
		assertThat(this.table.applied(GROUP, TOPIC, 0, 20, 30).prunedBelow()).isEqualTo(25);
		// A lower commit (offsets moved back) never lowers what was applied.
		pruner.prune(GROUP, Map.of(partition, new OffsetAndMetadata(5)));
		assertThat(this.table.applied(GROUP, TOPIC, 0, 0, 30).prunedBelow()).isEqualTo(25);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aConsumerStoppedBetweenReadingAndClaimingARecordThatIsAppliedAndPrunedMeanwhileSkipsIt(String database)
			throws Exception {
		connect(database);
		// The zombie's inbox reads the table, then stops before it inserts its row (as a
		// consumer frozen by SIGSTOP or a long pause in between).
		CountDownLatch read = new CountDownLatch(1);
		CountDownLatch wake = new CountDownLatch(1);
		JdbcTemplate pausing = new JdbcTemplate(this.dataSource) {

			@Override
			public int update(String sql, @Nullable Object... args) {
				if (sql.startsWith("INSERT INTO " + JdbcInboxTests.this.table.name()) && read.getCount() > 0) {
					read.countDown();
					try {
						wake.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return super.update(sql, args);
			}

		};
		InboxTable zombieTable = new InboxTable(pausing, this.table.name());
		HandlerInvocation zombie = new JdbcInbox("zombie", GROUP, zombieTable, this.transactions,
				new InboxPruner("zombie", zombieTable, Runnable::run))
			.decorate(applying());
		CompletableFuture<Void> zombieAttempt = CompletableFuture.runAsync(() -> invokeUnchecked(zombie, items(1)));
		assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
		// Meanwhile the partition's next owner applies the record, commits past it and
		// prunes its row.
		JdbcInbox owner = inbox(Runnable::run);
		owner.decorate(applying()).invoke(items(1));
		owner.committed(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(2)));
		assertThat(inboxOffsets(0)).isEmpty();
		wake.countDown();
		zombieAttempt.get(10, TimeUnit.SECONDS);
		assertThat(this.calls).containsExactly(List.of(1L));
		assertThat(appliedCount(0, 1)).isOne();
	}

	private void connect(String database) throws Exception {
		if (database.equals("postgresql")) {
			if (postgres == null) {
				postgres = ThrowawayPostgres.start();
			}
			this.dataSource = new DriverManagerDataSource(postgres.url(), postgres.user(), "");
		}
		else {
			this.dataSource = new DriverManagerDataSource(
					"jdbc:h2:mem:inbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
		}
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.table = new InboxTable(this.jdbc, "kafka_worker_inbox_test");
		new InboxSchema(this.dataSource, this.table.name(), DatabaseInitializationMode.ALWAYS).initialize();
		this.jdbc.execute("CREATE TABLE applied (topic VARCHAR(249), partition_id INTEGER, record_offset BIGINT)");
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	private JdbcInbox inbox(Executor pruning) {
		return new JdbcInbox("worker", GROUP, this.table, this.transactions,
				new InboxPruner("worker", this.table, pruning));
	}

	// The handler: one application row per record, on the inbox's transaction.
	private HandlerInvocation applying() {
		return (records) -> {
			this.calls.add(records.stream().map((item) -> item.record().offset()).toList());
			for (WorkItem item : records) {
				this.jdbc.update("INSERT INTO applied VALUES (?, ?, ?)", item.record().topic(),
						item.record().partition(), item.record().offset());
			}
			return null;
		};
	}

	private List<Long> inboxOffsets(int partition) {
		return rows(partition, "record_offset >= 0");
	}

	private List<Long> pruneMarks(int partition) {
		return rows(partition, "record_offset < 0");
	}

	private List<Long> rows(int partition, String condition) {
		return this.jdbc.queryForList("SELECT record_offset FROM " + this.table.name()
				+ " WHERE group_id = ? AND topic = ? AND partition_id = ? AND " + condition + " ORDER BY record_offset",
				Long.class, GROUP, TOPIC, partition);
	}

	private int appliedCount(int partition, long offset) {
		Integer count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM applied WHERE topic = ? AND partition_id = ? AND record_offset = ?",
				Integer.class, TOPIC, partition, offset);
		return (count != null) ? count : 0;
	}

	private static List<WorkItem> items(long... offsets) {
		List<WorkItem> items = new ArrayList<>();
		for (long offset : offsets) {
			items.add(item(0, offset));
		}
		return items;
	}

	private static WorkItem item(int partition, long offset) {
		PartitionOffsets offsets = new PartitionOffsets(new TopicPartition(TOPIC, partition));
		return new WorkItem(new ConsumerRecord<>(TOPIC, partition, offset, "key", "value"), offsets,
				offsets.receive(offset));
	}

	private static void invokeUnchecked(HandlerInvocation invocation, List<WorkItem> records) {
		try {
			invocation.invoke(records);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
