package io.kafkaworker.inbox;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the inbox table: which offsets of a partition it holds, recording new ones,
 * and deleting those below a committed offset. Statements run on a {@link JdbcTemplate}
 * of the application's DataSource, so they join the transaction that the transaction
 * manager bound to the thread (a DataSourceTransactionManager's or a
 * JpaTransactionManager's).
 * <p>
 * Pruning leaves a mark: one row per partition with the negative offset
 * {@code -below - 1} says that the rows below {@code below} were applied and deleted.
 * Without it, a consumer that was stopped (a long GC pause, SIGSTOP) while its partition
 * moved on would find no row for records it still held and apply them again; the chaos
 * suite saw exactly that. The mark needs no column of its own, so the table keeps the
 * schema it always had.
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

	private final String markSql;

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
		String partition = " WHERE group_id = ? AND topic = ? AND partition_id = ? AND ";
		// A range on the primary key rather than an IN list: no limit on the number of
		// bind variables, and one index range scan per partition of a call. With the
		// partition's prune marks, in one statement: one snapshot, so a concurrent prune
		// shows either the rows or the mark.
		this.selectSql = "SELECT record_offset FROM " + name + partition
				+ "(record_offset BETWEEN ? AND ? OR record_offset < 0)";
		this.insertSql = "INSERT INTO " + name + " (group_id, topic, partition_id, record_offset) VALUES (?, ?, ?, ?)";
		// Between the new mark and the committed offset: the rows below it and older
		// marks.
		this.deleteSql = "DELETE FROM " + name + partition + "record_offset > ? AND record_offset < ?";
		// The highest prune is the lowest mark.
		this.markSql = "SELECT MIN(record_offset) FROM " + name + partition + "record_offset < 0";
	}

	/**
	 * Return the table name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return which offsets of a partition between two bounds were applied: those the
	 * inbox holds, and any below the offset it was pruned at.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param from the lowest offset, inclusive
	 * @param to the highest offset, inclusive
	 * @return the offsets applied
	 */
	public Applied applied(String groupId, String topic, int partition, long from, long to) {
		Set<Long> present = new HashSet<>();
		long prunedBelow = 0;
		for (Long offset : this.jdbc.queryForList(this.selectSql, Long.class, groupId, topic, partition, from, to)) {
			if (offset < 0) {
				prunedBelow = Math.max(prunedBelow, -offset - 1);
			}
			else {
				present.add(offset);
			}
		}
		return new Applied(present, prunedBelow);
	}

	/**
	 * Return the offset below which a partition's rows were pruned as applied.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @return every offset below this one was applied; 0 when the partition was never
	 * pruned
	 */
	public long prunedBelow(String groupId, String topic, int partition) {
		Long mark = this.jdbc.queryForObject(this.markSql, Long.class, groupId, topic, partition);
		return (mark != null) ? -mark - 1 : 0;
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
	 * Delete the offsets of a partition below a committed offset, leaving a mark that
	 * they were applied. The mark is written before the rows are deleted (each statement
	 * commits on its own outside a transaction), so no reader ever sees neither.
	 * @param groupId the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param below the committed offset, exclusive
	 * @return the number of rows deleted, older marks included
	 */
	public int prune(String groupId, String topic, int partition, long below) {
		long mark = -below - 1;
		try {
			this.jdbc.update(this.insertSql, groupId, topic, partition, mark);
		}
		catch (DuplicateKeyException ex) {
			// Pruned at this offset before.
		}
		return this.jdbc.update(this.deleteSql, groupId, topic, partition, mark, below);
	}

	/**
	 * The offsets of a partition that were applied, from {@link #applied}.
	 *
	 * @param present the offsets in the asked range that the inbox holds
	 * @param prunedBelow every offset below this one was applied, and its row pruned; 0
	 * when the partition was never pruned
	 */
	public record Applied(Set<Long> present, long prunedBelow) {

		/**
		 * Return whether an offset was applied.
		 * @param offset the offset, within the range asked for
		 * @return true if its row is present or was pruned
		 */
		public boolean contains(long offset) {
			return offset < this.prunedBelow || this.present.contains(offset);
		}

	}

}
