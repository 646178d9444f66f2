package io.kafkaworker.inbox;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.container.InvocationDecorator;
import io.kafkaworker.container.WorkerSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the inboxes of workers with store JDBC over the application's DataSource and
 * transaction manager, and owns the thread that prunes them.
 */
public final class JdbcInboxes implements Inboxes, DisposableBean {

	private final InboxTable table;

	private final InboxSchema schema;

	private final Supplier<PlatformTransactionManager> transactionManager;

	private final String transactionManagerProperty;

	// One daemon thread shared by the workers' pruners; it starts with the first prune.
	private final ExecutorService pruning;

	/**
	 * Create the factory.
	 * @param table the inbox table
	 * @param schema creates the table when the first inbox is created
	 * @param transactionManager resolves the transaction manager, throwing
	 * {@link IllegalStateException} saying why if there is no suitable one
	 * @param transactionManagerProperty the property that names the transaction manager,
	 * for messages
	 */
	public JdbcInboxes(InboxTable table, InboxSchema schema, Supplier<PlatformTransactionManager> transactionManager,
			String transactionManagerProperty) {
		this.table = table;
		this.schema = schema;
		this.transactionManager = transactionManager;
		this.transactionManagerProperty = transactionManagerProperty;
		this.pruning = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "kafka-worker-inbox-pruner");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public InvocationDecorator inbox(WorkerSettings settings) {
		PlatformTransactionManager manager;
		try {
			manager = this.transactionManager.get();
		}
		catch (IllegalStateException ex) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + settings.id() + "' uses kafka.worker.workers." + settings.id()
							+ ".exactly-once.store=JDBC but " + ex.getMessage(),
					"Define a DataSourceTransactionManager or JpaTransactionManager for the inbox's DataSource, or name "
							+ "it with " + this.transactionManagerProperty,
					ex);
		}
		this.schema.initialize();
		TransactionTemplate transactions = new TransactionTemplate(manager);
		transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
		transactions.setName("kafka-worker-inbox-" + settings.id());
		return new JdbcInbox(settings.id(), settings.groupId(), this.table, transactions,
				new InboxPruner(settings.id(), this.table, this.pruning));
	}

	@Override
	public void destroy() {
		this.pruning.shutdown();
	}

}
