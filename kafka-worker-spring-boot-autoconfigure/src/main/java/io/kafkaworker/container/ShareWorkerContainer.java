package io.kafkaworker.container;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ShareConsumerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The listener container of a share-group worker: {@code consumers} share consumers, each
 * polled by a {@link ShareSession} on a thread of its own. Registered in Spring Kafka's
 * registry like the containers of consumer-group workers, so it starts, stops and is
 * found by id the same way.
 *
 * <p>
 * Why not Spring Kafka's {@code ShareKafkaMessageListenerContainer}: it calls a record
 * listener on the consumer thread, one record after another, and with explicit
 * acknowledgement it stops polling until every record of the last poll is acknowledged,
 * without renewing their locks. Handing records to lanes from that listener would work,
 * but records that run longer than the lock would be delivered to another member while
 * they run, and a graceful drain could not release the records it has not started. The
 * session drives {@code KafkaShareConsumer} itself: RENEW for running records, RELEASE
 * for abandoned ones, acknowledgements only on the polling thread.
 */
public final class ShareWorkerContainer implements MessageListenerContainer {

	private static final Log logger = LogFactory.getLog(ShareWorkerContainer.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final WorkerSettings settings;

	private final ShareConsumerFactory<Object, Object> consumerFactory;

	private final Map<String, Object> consumerOverrides;

	private final @Nullable KafkaAdmin admin;

	private final List<ShareSession> sessions = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private @Nullable Worker worker;

	private volatile boolean running;

	private volatile boolean pauseRequested;

	ShareWorkerContainer(WorkerSettings settings, ShareConsumerFactory<Object, Object> consumerFactory,
			Properties consumerOverrides, @Nullable KafkaAdmin admin) {
		this.settings = settings;
		this.consumerFactory = consumerFactory;
		this.admin = admin;
		this.consumerOverrides = ShareConsumers.overrides(consumerOverrides,
				consumerFactory.getConfigurationProperties(), settings.concurrency());
	}

	@Override
	public void setupMessageListener(Object messageListener) {
		if (!(messageListener instanceof DispatchingBatchListener listener)) {
			throw new IllegalArgumentException("A share-group worker's container takes its worker's listener");
		}
		this.worker = listener.worker();
		this.worker.attach(this);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		Worker engine = Objects.requireNonNull(this.worker, "setupMessageListener was not called");
		// Before any consumer joins: a first fetch initializes where the group starts.
		ShareGroupConfigs.apply(this.settings, this.admin);
		this.running = true;
		this.sessions.clear();
		this.threads.clear();
		SimpleAsyncTaskExecutor threadFactory = new SimpleAsyncTaskExecutor(
				"kafka-worker-share-" + getListenerId() + "-");
		for (int i = 0; i < this.settings.consumers(); i++) {
			ShareConsumer<Object, Object> consumer = this.consumerFactory.createShareConsumer(this.settings.groupId(),
					this.settings.id() + "-" + i, this.consumerOverrides);
			ShareSession session = new ShareSession(this.settings.id(), this.settings.topics(), consumer, engine,
					engine.shareAcks(), engine.observer(), POLL_TIMEOUT, CLOSE_TIMEOUT, this);
			this.sessions.add(session);
			Thread thread = new Thread(session, "kafka-worker-share-" + this.settings.id() + "-" + i);
			this.threads.add(thread);
			thread.start();
		}
		logger.info("Worker '" + this.settings.id() + "' joins share group '" + this.settings.groupId() + "' with "
				+ this.settings.consumers() + " share consumer(s)");
	}

	@Override
	public void stop() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		new SimpleAsyncTaskExecutor("kafka-worker-share-stop-").execute(() -> {
			stop();
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE;
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.autoStartup();
	}

	@Override
	public void setAutoStartup(boolean autoStartup) {
		throw new UnsupportedOperationException("Set kafka.worker.workers." + this.settings.id() + ".auto-startup");
	}

	@Override
	public String getListenerId() {
		return this.settings.id();
	}

	@Override
	public String getGroupId() {
		return this.settings.groupId();
	}

	@Override
	public void pause() {
		this.pauseRequested = true;
	}

	@Override
	public void resume() {
		this.pauseRequested = false;
	}

	@Override
	public boolean isPauseRequested() {
		return this.pauseRequested;
	}

	@Override
	public boolean isContainerPaused() {
		return this.pauseRequested;
	}

	// A share consumer cannot pause a partition: back-pressure and freezes act on lanes,
	// and a poll waits until the last one's records are acknowledged.
	@Override
	public void pausePartition(TopicPartition topicPartition) {
	}

	@Override
	public void resumePartition(TopicPartition topicPartition) {
	}

	@Override
	public boolean isPartitionPauseRequested(TopicPartition topicPartition) {
		return false;
	}

	@Override
	public Map<String, Map<MetricName, ? extends Metric>> metrics() {
		return Map.of();
	}

	/**
	 * Return whether every share consumer has polled: it subscribed and is a member.
	 * @return whether the worker joined its share group
	 */
	boolean joined() {
		return this.running && !this.sessions.isEmpty() && this.sessions.stream().allMatch(ShareSession::hasPolled);
	}

	Duration sinceLastPoll() {
		return this.sessions.stream().map(ShareSession::sinceLastPoll).max(Duration::compareTo).orElse(Duration.ZERO);
	}

	@Override
	public void destroy() {
		stop();
	}

}
