package io.kafkaworker.transaction;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;

/**
 * The transactional producer of one consumer and the transaction it has open.
 *
 * <p>
 * The consumer thread begins, commits and aborts; lane threads send while the transaction
 * is open. A read-write lock keeps the two apart: a send never lands in a transaction
 * after the one its handler belongs to, because ending a transaction closes the gate
 * under the write lock and a late send then fails instead (its records are handled again
 * anyway, since the transaction that would have carried them aborted).
 *
 * <p>
 * The producer is created on first use and recreated after an error that leaves it
 * unusable (fenced by a newer instance with the same transactional id, or any other fatal
 * error); {@code initTransactions} aborts whatever a previous producer with the same id
 * left open.
 */
public final class KafkaTransaction implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KafkaTransaction.class);

	private final String transactionalId;

	private final Function<String, Producer<Object, Object>> producers;

	private final ReadWriteLock gate = new ReentrantReadWriteLock();

	private @Nullable Producer<Object, Object> producer;

	// Guarded by the gate.
	private boolean open;

	// Which transaction is open, counted from 1; guarded by the gate. A handler call
	// belongs to the transaction open when it started (TransactionBinding), and may send
	// only while that one is: a call still running when its transaction aborted would
	// otherwise send into the next one, which also runs its record again.
	private long epoch;

	// What to undo if the open transaction does not commit (local state that its sends
	// changed), in the order registered; guarded by itself.
	private final Deque<Runnable> rollbacks = new ArrayDeque<>();

	/**
	 * Create the transactions of one consumer.
	 * @param transactionalId the producer's transactional id, unique among live producers
	 * @param producers creates a transactional producer with the given id
	 */
	public KafkaTransaction(String transactionalId, Function<String, Producer<Object, Object>> producers) {
		this.transactionalId = transactionalId;
		this.producers = producers;
	}

	/**
	 * Return the transactional id of the producer.
	 * @return the id
	 */
	public String transactionalId() {
		return this.transactionalId;
	}

	/**
	 * Begin a transaction. Consumer thread only.
	 * @throws KafkaException if the producer cannot be created or begin
	 */
	public void begin() {
		Producer<Object, Object> current = prepare();
		try {
			current.beginTransaction();
		}
		catch (RuntimeException ex) {
			// Fenced (two instances share a transactional-id prefix) or otherwise
			// unusable: the next attempt starts over with a new producer.
			discard(current, ex);
			throw ex;
		}
		this.gate.writeLock().lock();
		try {
			this.open = true;
			this.epoch++;
		}
		finally {
			this.gate.writeLock().unlock();
		}
	}

	/**
	 * Create the producer and initialize its transactions, if not done yet. Consumer
	 * thread only. Initializing aborts what a previous producer with the same id left
	 * open, which is what lets the consumer read the committed offsets of its partitions
	 * again after that producer's process died (KIP-447 keeps them unstable until then).
	 * @return the producer
	 * @throws KafkaException if the producer cannot be created or initialized
	 */
	public Producer<Object, Object> prepare() {
		Producer<Object, Object> current = this.producer;
		if (current == null) {
			current = this.producers.apply(this.transactionalId);
			try {
				current.initTransactions();
			}
			catch (RuntimeException ex) {
				closeQuietly(current);
				throw ex;
			}
			this.producer = current;
		}
		return current;
	}

	/**
	 * Return whether a transaction is open.
	 * @return true between {@link #begin()} and its commit or abort
	 */
	public boolean isOpen() {
		this.gate.readLock().lock();
		try {
			return this.open;
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Return which transaction is open, or was open last.
	 * @return the number of transactions begun so far
	 */
	public long epoch() {
		this.gate.readLock().lock();
		try {
			return this.epoch;
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Return whether a given transaction is still the open one.
	 * @param transactionEpoch the transaction, as {@link #epoch()} numbered it
	 * @return false once it committed or aborted
	 */
	boolean isOpen(long transactionEpoch) {
		this.gate.readLock().lock();
		try {
			return this.open && this.epoch == transactionEpoch;
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Send a record in the open transaction. Any thread. From a handler call (the
	 * transaction bound to the thread), only while the transaction that was open when the
	 * call started is.
	 * @param record the record
	 * @return completes when the broker acknowledged the write
	 * @throws IllegalStateException if no transaction is open, or the call's has ended
	 */
	@SuppressWarnings("unchecked")
	public CompletableFuture<RecordMetadata> send(ProducerRecord<?, ?> record) {
		long callEpoch = TransactionBinding.epochOf(this);
		this.gate.readLock().lock();
		try {
			Producer<Object, Object> current = this.producer;
			if (!this.open || current == null || (callEpoch >= 0 && callEpoch != this.epoch)) {
				throw new IllegalStateException("The transaction of the records being handled has ended (aborted "
						+ "after a failure or a rebalance); this record is not sent, and the handler runs again");
			}
			CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
			current.send((ProducerRecord<Object, Object>) record, (metadata, exception) -> {
				if (exception != null) {
					result.completeExceptionally(exception);
				}
				else {
					result.complete(metadata);
				}
			});
			return result;
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Send a record in the open transaction and, atomically with respect to its end,
	 * apply a change to local state that the record carries: the change is applied only
	 * if the send was accepted, and undone if the transaction then aborts instead of
	 * committing. Any thread.
	 * @param record the record
	 * @param apply the local change
	 * @param undo what restores the state before the change
	 * @return completes when the broker acknowledged the write
	 * @throws IllegalStateException if no transaction is open
	 */
	public CompletableFuture<RecordMetadata> send(ProducerRecord<?, ?> record, Runnable apply, Runnable undo) {
		// Under the read lock, so that an end of the transaction (the write lock) sees
		// either nothing of this or the change and its undo together.
		this.gate.readLock().lock();
		try {
			CompletableFuture<RecordMetadata> result = send(record);
			synchronized (this.rollbacks) {
				apply.run();
				this.rollbacks.push(undo);
			}
			return result;
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Return a producer view for code that expects a {@link Producer}, such as a
	 * {@code KafkaTemplate}: its sends go through {@link #send} (so they join the open
	 * transaction or fail), closing it does nothing, and everything else reaches the real
	 * producer.
	 * @return the view
	 */
	@SuppressWarnings("unchecked")
	public Producer<Object, Object> sendingView() {
		// A dynamic proxy rather than a hand-written Producer: only send and close
		// differ, and the interface grows with every Kafka release.
		return (Producer<Object, Object>) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Producer.class }, (proxy, method, args) -> {
					switch (method.getName()) {
						case "close":
							return null;
						case "send":
							CompletableFuture<RecordMetadata> sent = send((ProducerRecord<?, ?>) args[0]);
							if (args.length > 1 && args[1] != null) {
								org.apache.kafka.clients.producer.Callback callback = (org.apache.kafka.clients.producer.Callback) args[1];
								sent.whenComplete((metadata, ex) -> callback.onCompletion(metadata,
										(ex instanceof Exception exception) ? exception : null));
							}
							return sent;
						case "toString":
							return "sending view of transactional producer '" + this.transactionalId + "'";
						case "hashCode":
							return System.identityHashCode(proxy);
						case "equals":
							return proxy == args[0];
						default:
							Producer<Object, Object> current = this.producer;
							if (current == null) {
								throw new IllegalStateException("The transactional producer is not open");
							}
							try {
								return method.invoke(current, args);
							}
							catch (java.lang.reflect.InvocationTargetException ex) {
								throw ex.getCause();
							}
					}
				});
	}

	/**
	 * Commit the open transaction together with the input offsets. Consumer thread only.
	 * On failure the transaction is aborted: nothing of it becomes visible.
	 * @param offsets the input offsets to commit, by partition
	 * @param groupMetadata the consumer's group metadata, which fences a consumer that
	 * lost its partitions (KIP-447)
	 * @return null if committed, else why not
	 */
	public @Nullable RuntimeException commit(Map<TopicPartition, OffsetAndMetadata> offsets,
			ConsumerGroupMetadata groupMetadata) {
		Producer<Object, Object> current = closeGate();
		if (current == null) {
			return new IllegalStateException("no transaction is open");
		}
		try {
			if (!offsets.isEmpty()) {
				current.sendOffsetsToTransaction(offsets, groupMetadata);
			}
			current.commitTransaction();
			forgetRollbacks();
			return null;
		}
		catch (RuntimeException ex) {
			abort(current, ex);
			return ex;
		}
	}

	/**
	 * Abort the open transaction, if any. Consumer thread only.
	 */
	public void abort() {
		Producer<Object, Object> current = closeGate();
		if (current != null) {
			abort(current, null);
		}
	}

	private @Nullable Producer<Object, Object> closeGate() {
		this.gate.writeLock().lock();
		try {
			boolean wasOpen = this.open;
			this.open = false;
			return wasOpen ? this.producer : null;
		}
		finally {
			this.gate.writeLock().unlock();
		}
	}

	private void abort(Producer<Object, Object> current, @Nullable RuntimeException cause) {
		try {
			if (cause != null && isFatal(cause)) {
				discard(current, cause);
				return;
			}
			try {
				current.abortTransaction();
			}
			catch (RuntimeException ex) {
				discard(current, ex);
			}
		}
		finally {
			rollBack();
		}
	}

	// Undo, newest first, what the transaction's sends changed locally.
	private void rollBack() {
		synchronized (this.rollbacks) {
			while (!this.rollbacks.isEmpty()) {
				this.rollbacks.pop().run();
			}
		}
	}

	private void forgetRollbacks() {
		synchronized (this.rollbacks) {
			this.rollbacks.clear();
		}
	}

	// A fatal error leaves the producer unusable: close it, and the next transaction
	// starts with a new one, whose initTransactions aborts what this one left open.
	private void discard(Producer<Object, Object> current, RuntimeException cause) {
		logger.warn("Transactional producer '" + this.transactionalId + "' is replaced after: " + cause);
		this.producer = null;
		closeQuietly(current);
	}

	private static boolean isFatal(RuntimeException ex) {
		return ex instanceof ProducerFencedException || ex instanceof InvalidProducerEpochException
				|| ex instanceof OutOfOrderSequenceException || ex instanceof AuthorizationException
				|| ex instanceof UnsupportedVersionException || ex instanceof IllegalStateException;
	}

	private static void closeQuietly(Producer<Object, Object> producer) {
		try {
			producer.close(java.time.Duration.ZERO);
		}
		catch (RuntimeException ex) {
			// Closing is best effort.
		}
	}

	/**
	 * Abort any open transaction and close the producer. Consumer thread only.
	 */
	@Override
	public void close() {
		abort();
		Producer<Object, Object> current = this.producer;
		this.producer = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing transactional producer '" + this.transactionalId + "' failed: " + ex);
			}
		}
	}

}
