package io.kafkaworker.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.util.StreamUtils;

/**
 * Creates the inbox table from the shipped {@code schema.sql}, once, when the first
 * worker with store JDBC is created (not at startup: an application whose workers do not
 * use the inbox keeps its database untouched). The script creates the table only if it
 * does not exist, so running it against a database that Flyway or Liquibase already
 * migrated changes nothing.
 */
public final class InboxSchema {

	/**
	 * The location of the script on the class path.
	 */
	public static final String LOCATION = "io/kafkaworker/inbox/schema.sql";

	private static final Log logger = LogFactory.getLog(InboxSchema.class);

	private final DataSource dataSource;

	private final String tableName;

	private final DatabaseInitializationMode mode;

	private volatile boolean initialized;

	/**
	 * Create the initializer.
	 * @param dataSource the database of the inbox
	 * @param tableName the table name, replacing the script's
	 * @param mode when to create the table
	 */
	public InboxSchema(DataSource dataSource, String tableName, DatabaseInitializationMode mode) {
		this.dataSource = dataSource;
		this.tableName = tableName;
		this.mode = mode;
	}

	/**
	 * Create the table if the mode says so and this has not run yet.
	 */
	public void initialize() {
		if (this.initialized) {
			return;
		}
		synchronized (this) {
			if (!this.initialized) {
				if (applies()) {
					ResourceDatabasePopulator populator = new ResourceDatabasePopulator(script());
					DatabasePopulatorUtils.execute(populator, this.dataSource);
					logger.info("Created the kafka-worker inbox table " + this.tableName + " if it did not exist");
				}
				this.initialized = true;
			}
		}
	}

	// As Spring Boot's script initializers decide for spring.sql.init.mode.
	private boolean applies() {
		return switch (this.mode) {
			case ALWAYS -> true;
			case NEVER -> false;
			case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(this.dataSource);
		};
	}

	private ByteArrayResource script() {
		try {
			String sql = StreamUtils.copyToString(new ClassPathResource(LOCATION).getInputStream(),
					StandardCharsets.UTF_8);
			return new ByteArrayResource(
					sql.replace(InboxTable.DEFAULT_NAME, this.tableName).getBytes(StandardCharsets.UTF_8), LOCATION);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + LOCATION, ex);
		}
	}

}
