-- The database inbox of kafka-worker (delivery EXACTLY_ONCE, exactly-once.store JDBC): one
-- row per record whose handler's transaction committed, kept until the consumer group's
-- committed offset passes it. Portable SQL for H2, PostgreSQL and MySQL/MariaDB.
-- To create it with Flyway, copy this file to db/migration/V<n>__kafka_worker_inbox.sql;
-- with Liquibase, reference it from a changeset with <sqlFile path="..."/>. Then set
-- kafka.worker.exactly-once.jdbc.initialize-schema=never. A different table name
-- (kafka.worker.exactly-once.jdbc.table-name) needs the same columns and primary key.
CREATE TABLE IF NOT EXISTS kafka_worker_inbox (
	group_id VARCHAR(255) NOT NULL,
	topic VARCHAR(249) NOT NULL,
	partition_id INTEGER NOT NULL,
	record_offset BIGINT NOT NULL,
	PRIMARY KEY (group_id, topic, partition_id, record_offset)
);
