package io.kafkaworker.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.inbox.InboxSchema;
import io.kafkaworker.inbox.InboxTable;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database inbox on a real broker, in this JVM, with an embedded H2: records whose
 * rows are already in the inbox (applied before a crash, not committed) are completed
 * without calling the handler, a failed attempt is rolled back and its retry applies the
 * record once, lane-batch calls carry only the new records, and the commits prune the
 * inbox.
 */
class JdbcInboxIntegrationTests {

	private static final int RECORDS = 40;

	private static final Set<Long> APPLIED_BEFORE = Set.of(5L, 6L, 7L, 8L, 9L, 21L, 33L);

	private static final long FAILING_ONCE = 12;

	private String topic;

	private String url;

	private JdbcTemplate jdbc;

	@BeforeEach
	void prepare() {
		this.topic = Broker.uniqueName("inbox");
		Broker.createTopic(this.topic, 1);
		Broker.produce(this.topic, RECORDS, (i) -> new String[] { "key-" + (i % 3), Integer.toString(i) });
		this.url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		DriverManagerDataSource dataSource = new DriverManagerDataSource(this.url, "sa", "");
		this.jdbc = new JdbcTemplate(dataSource);
		new InboxSchema(dataSource, InboxTable.DEFAULT_NAME, DatabaseInitializationMode.ALWAYS).initialize();
		this.jdbc.execute("CREATE TABLE applied (record_offset BIGINT)");
		// As if a worker of the group had applied these and died before committing.
		InboxTable table = new InboxTable(this.jdbc, InboxTable.DEFAULT_NAME);
		table.insert(this.topic, this.topic, 0, APPLIED_BEFORE.stream().sorted().toList());
	}

	@Test
	void singleRecordHandlerSkipsAppliedRecordsAndRetriesARolledBackAttemptOnce() {
		assertAppliedExactlyOnce("single");
	}

	@Test
	void laneBatchHandlerGetsOnlyTheRecordsNotYetApplied() {
		assertAppliedExactlyOnce("batch");
	}

	private void assertAppliedExactlyOnce(String worker) {
		InboxApp.calls.clear();
		InboxApp.attempts.clear();
		try (ConfigurableApplicationContext context = start(worker)) {
			TopicPartition partition = new TopicPartition(this.topic, 0);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(Broker.committedOffsets(this.topic, this.topic))
					.isEqualTo(Map.of(partition, (long) RECORDS)));
			// the commit prunes every row below the committed offset
			await().atMost(Duration.ofSeconds(10))
				.until(() -> count("SELECT COUNT(*) FROM kafka_worker_inbox WHERE record_offset >= 0") == 0);
		}
		assertThat(InboxApp.calls).as("records passed to the handler").doesNotContainAnyElementsOf(APPLIED_BEFORE);
		assertThat(InboxApp.attempts.get(FAILING_ONCE)).as("attempts of offset %d", FAILING_ONCE).hasValue(2);
		for (long offset = 0; offset < RECORDS; offset++) {
			long expected = APPLIED_BEFORE.contains(offset) ? 0 : 1;
			assertThat(count("SELECT COUNT(*) FROM applied WHERE record_offset = " + offset))
				.as("rows of offset %d", offset)
				.isEqualTo(expected);
		}
		if (worker.equals("batch")) {
			assertThat(InboxApp.batchSizes).as("some lane-batch call carried several records").anyMatch((n) -> n > 1);
		}
	}

	private long count(String sql) {
		Long count = this.jdbc.queryForObject(sql, Long.class);
		return (count != null) ? count : 0;
	}

	private ConfigurableApplicationContext start(String worker) {
		String other = worker.equals("single") ? "batch" : "single";
		return new SpringApplicationBuilder(InboxApp.class).web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + this.topic,
					"--spring.datasource.url=" + this.url, "--spring.datasource.username=sa",
					"--kafka.worker.defaults.delivery=EXACTLY_ONCE", "--kafka.worker.defaults.exactly-once.store=JDBC",
					"--kafka.worker.workers." + worker + ".group-id=" + this.topic,
					"--kafka.worker.defaults.commit-interval=200ms",
					"--kafka.worker.defaults.retry.backoff.initial=20ms", "--kafka.worker.defaults.batch-size=8",
					"--kafka.worker.workers." + other + ".auto-startup=false");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class InboxApp {

		static final Set<Long> calls = ConcurrentHashMap.newKeySet();

		static final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

		static final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Bean
		Handlers handlers(JdbcTemplate jdbc) {
			return new Handlers(jdbc);
		}

	}

	/**
	 * The two workers of the test, one started per test.
	 */
	public static class Handlers {

		private final JdbcTemplate jdbc;

		Handlers(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		/**
		 * Apply one record.
		 * @param record the record
		 */
		@KafkaBatchWorker(id = "single", topics = "${test.topic}")
		public void handle(ConsumerRecord<String, String> record) {
			apply(record);
		}

		/**
		 * Apply a lane batch.
		 * @param records the records
		 */
		@KafkaBatchWorker(id = "batch", topics = "${test.topic}")
		public void handleBatch(List<ConsumerRecord<String, String>> records) {
			InboxApp.batchSizes.add(records.size());
			records.forEach(this::apply);
		}

		// Writes the row, then fails the first attempt of one record: the row of that
		// attempt must be rolled back with the inbox's.
		private void apply(ConsumerRecord<String, String> record) {
			InboxApp.calls.add(record.offset());
			this.jdbc.update("INSERT INTO applied VALUES (?)", record.offset());
			int attempt = InboxApp.attempts.computeIfAbsent(record.offset(), (offset) -> new AtomicInteger())
				.incrementAndGet();
			if (record.offset() == FAILING_ONCE && attempt == 1) {
				throw new IllegalStateException("first attempt of " + record.offset() + " fails");
			}
		}

	}

}
