package io.kafkaworker.inbox;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the inbox table: which offsets of a partition it holds, recording new ones,
 * and deleting those below a committed offset. Statements run on a {@link JdbcTemplate}
 * of the application's DataSource, so they join the transaction that the transaction
 * manager bound to the thread (a DataSourceTransactionManager's or a
 * JpaTransactionManager's).
 */
public final class InboxTable {

	/**
	 * The table name used when none is configured, as in the shipped schema.sql.
	 */
	public static final String DEFAULT_NAME = "kafka_worker_inbox";

	// A plain or schema-qualified identifier: the name is spliced into SQL.
	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

	private final JdbcTemplate jdbc;

	private final String name;

	private final String selectSql;

	private final String insertSql;

	private final String deleteSql;

	/**
	 * Create the table's statements.
	 * @param jdbc runs them
	 * @param name the table name, optionally schema-qualified
	 */
	public InboxTable(JdbcTemplate jdbc, String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid inbox table name '" + name + "'");
		}
		this.jdbc = jdbc;
		this.name = name;
		String partition = " WHERE group_id = ? AND topic = ? AND partition_id = ? AND record_offset";
		// A range on the primary key rather than an IN list: no limit on the number of
		// bind variables, and one index range scan per partition of a call.
		this.selectSql = "SELECT record_offset FROM " + name + partition + " BETWEEN ? AND ?";
		this.insertSql = "INSERT INTO " + name + " (group_id, topic, partition_id, record_offset) VALUES (?, ?, ?, ?)";
		this.deleteSql = "DELETE FROM " + name + partition + " < ?";
	}

	/**
	 * Return the table name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return which offsets of a partition between two bounds the inbox holds.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param from the lowest offset, inclusive
	 * @param to the highest offset, inclusive
	 * @return the offsets present
	 */
	public Set<Long> present(String groupId, String topic, int partition, long from, long to) {
		return new HashSet<>(this.jdbc.queryForList(this.selectSql, Long.class, groupId, topic, partition, from, to));
	}

	/**
	 * Record offsets of a partition. Fails with a duplicate-key exception if another
	 * transaction recorded one of them first.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param offsets the offsets
	 */
	public void insert(String groupId, String topic, int partition, List<Long> offsets) {
		if (offsets.size() == 1) {
			this.jdbc.update(this.insertSql, groupId, topic, partition, offsets.get(0));
			return;
		}
		this.jdbc.batchUpdate(this.insertSql, offsets, offsets.size(), (statement, offset) -> {
			statement.setString(1, groupId);
			statement.setString(2, topic);
			statement.setInt(3, partition);
			statement.setLong(4, offset);
		});
	}

	/**
	 * Delete the offsets of a partition below a committed offset.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param below the committed offset, exclusive
	 * @return the number of rows deleted
	 */
	public int prune(String groupId, String topic, int partition, long below) {
		return this.jdbc.update(this.deleteSql, groupId, topic, partition, below);
	}

}
