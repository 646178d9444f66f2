package io.kafkaworker.integration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.testsupport.Broker;
import io.kafkaworker.testsupport.Seed;
import io.kafkaworker.testsupport.WorkerProcess;
import org.apache.kafka.common.TopicPartition;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills a worker with the database inbox with SIGKILL at random moments mid-stream,
 * between handlers' database commits and the offset commits, restarts it, and proves
 * exactly-once into the database on a real broker: every record has exactly one row in
 * the application table. The database is an H2 server in this JVM, so it outlives the
 * killed workers and rolls back the transactions they left open.
 */
class InboxCrashIntegrationTests {

	private static final int PARTITIONS = 4;

	private static final int RECORDS = 6_000;

	private static final int KEYS = 200;

	private static final int KILLS = 3;

	@TempDir
	Path directory;

	private Server server;

	private JdbcTemplate jdbc;

	private String url;

	@BeforeEach
	void startDatabase() throws Exception {
		this.server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", this.directory.toString())
			.start();
		this.url = "jdbc:h2:tcp://localhost:" + this.server.getPort() + "/inbox";
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource(this.url, "sa", ""));
		this.jdbc.execute("CREATE TABLE applied (partition_id INTEGER, record_offset BIGINT)");
	}

	@AfterEach
	void stopDatabase() {
		this.server.stop();
	}

	@Test
	void everyRecordIsAppliedExactlyOnceWhenTheWorkerIsKilledMidStream() throws Exception {
		String topic = Broker.uniqueName("inbox-crash");
		Broker.createTopic(topic, PARTITIONS);
		long seed = Seed.create().value();
		Random random = new Random(seed);
		Broker.produce(topic, RECORDS, (i) -> new String[] { "key-" + random.nextInt(KEYS), Integer.toString(i) });
		Map<TopicPartition, Long> endOffsets = Broker.endOffsets(topic);
		String context = "seed " + seed + ", worker output in " + this.directory;
		long appliedBeyondCommits = 0;
		for (int run = 1; run <= KILLS + 1; run++) {
			Process worker = startWorker(topic, run, seed);
			try {
				if (run <= KILLS) {
					long target = applied() + 300 + random.nextInt((int) (RECORDS - applied()) / 4);
					await().atMost(Duration.ofSeconds(60)).until(() -> applied() >= target);
					worker.destroyForcibly();
					assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
					appliedBeyondCommits += appliedAtOrAbove(topic, Broker.committedOffsets(topic, topic));
				}
				else {
					await().atMost(Duration.ofSeconds(90))
						.untilAsserted(() -> assertThat(Broker.committedOffsets(topic, topic)).isEqualTo(endOffsets));
					// Every row is below the committed offsets now: all pruned, one mark
					// per
					// partition left.
					await().atMost(Duration.ofSeconds(20))
						.until(() -> count("kafka_worker_inbox WHERE record_offset >= 0") == 0);
				}
			}
			finally {
				worker.destroyForcibly();
				worker.waitFor(20, TimeUnit.SECONDS);
			}
		}
		assertThat(appliedBeyondCommits)
			.as("%s: records applied but not committed when the workers were killed", context)
			.isPositive();
		List<Map<String, Object>> duplicates = this.jdbc.queryForList("SELECT partition_id, record_offset, COUNT(*) "
				+ "FROM applied GROUP BY partition_id, record_offset HAVING COUNT(*) > 1");
		assertThat(duplicates).as("%s: records applied more than once", context).isEmpty();
		assertThat(count("applied")).as("%s: rows in the application table", context).isEqualTo(RECORDS);
		for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
			Integer distinct = this.jdbc.queryForObject(
					"SELECT COUNT(DISTINCT record_offset) FROM applied WHERE partition_id = ?", Integer.class,
					end.getKey().partition());
			assertThat(distinct).as("%s: records applied of %s", context, end.getKey())
				.isEqualTo(end.getValue().intValue());
		}
	}

	private long applied() {
		return count("applied");
	}

	private long count(String table) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
		return (count != null) ? count : 0;
	}

	// The records whose transaction committed but whose offset was not: those the
	// restarted worker receives again, and the inbox must skip.
	private long appliedAtOrAbove(String topic, Map<TopicPartition, Long> committed) {
		long beyond = 0;
		for (int partition = 0; partition < PARTITIONS; partition++) {
			long offset = committed.getOrDefault(new TopicPartition(topic, partition), 0L);
			Long rows = this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM applied WHERE partition_id = ? AND record_offset >= ?", Long.class, partition,
					offset);
			beyond += (rows != null) ? rows : 0;
		}
		return beyond;
	}

	private Process startWorker(String topic, int run, long seed) throws IOException {
		return WorkerProcess.start(InboxCrashableWorkerApplication.class, this.directory.resolve("run-" + run + ".out"),
				"--test.topic=" + topic, "--test.max-delay-micros=3000", "--test.seed=" + seed,
				"--spring.datasource.url=" + this.url, "--spring.datasource.username=sa",
				"--spring.datasource.password=", "--spring.datasource.hikari.maximum-pool-size=16",
				"--kafka.worker.exactly-once.jdbc.initialize-schema=always", "--kafka.worker.workers.applying.mode=KEY",
				"--kafka.worker.workers.applying.delivery=EXACTLY_ONCE",
				"--kafka.worker.workers.applying.exactly-once.store=JDBC",
				"--kafka.worker.workers.applying.concurrency=12", "--kafka.worker.workers.applying.group-id=" + topic,
				"--kafka.worker.workers.applying.commit-interval=1s");
	}

}
