package io.kafkaworker.samples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Columns aligned with spaces, as {@code kafka-topics.sh} and {@code kubectl} print them:
 * readable, and still split by {@code awk}. A null cell prints as {@code -}.
 */
class Table {

	private final List<String[]> rows = new ArrayList<>();

	private final int columns;

	/**
	 * Create a table.
	 * @param headers the column headers
	 */
	Table(String... headers) {
		this.columns = headers.length;
		this.rows.add(headers);
	}

	/**
	 * Add a row.
	 * @param cells one cell per column
	 * @return this table
	 */
	Table row(@Nullable Object... cells) {
		if (cells.length != this.columns) {
			throw new IllegalArgumentException(cells.length + " cells for " + this.columns + " columns");
		}
		this.rows
			.add(Arrays.stream(cells).map((cell) -> (cell != null) ? cell.toString() : "-").toArray(String[]::new));
		return this;
	}

	/**
	 * Print the header and the rows.
	 * @param out where to print
	 */
	void print(PrintWriter out) {
		int[] widths = new int[this.columns];
		for (String[] row : this.rows) {
			for (int i = 0; i < this.columns; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : this.rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < this.columns; i++) {
				line.append(row[i]);
				if (i < this.columns - 1) {
					line.append(" ".repeat(widths[i] - row[i].length() + 2));
				}
			}
			out.println(line);
		}
	}

}
