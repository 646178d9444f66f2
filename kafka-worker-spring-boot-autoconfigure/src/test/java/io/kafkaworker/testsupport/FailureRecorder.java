package io.kafkaworker.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * What the failure tests' worker saw: every attempt, every record it finished, the order
 * it finished them in, and the worker events. Values that start with {@code fail:} fail
 * until healed; values that start with {@code flaky:} fail their first two attempts;
 * values that start with {@code slow:} take 100 ms.
 */
public final class FailureRecorder implements ApplicationListener<ApplicationEvent> {

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Set<String> handled = ConcurrentHashMap.newKeySet();

	private final List<ConsumerRecord<String, String>> handledInOrder = Collections.synchronizedList(new ArrayList<>());

	private final Set<String> healed = ConcurrentHashMap.newKeySet();

	private final Map<String, Long> firstStartNanos = new ConcurrentHashMap<>();

	private final Map<Class<?>, Long> firstEventNanos = new ConcurrentHashMap<>();

	private final List<ApplicationEvent> events = Collections.synchronizedList(new ArrayList<>());

	/**
	 * Handle a record: count the attempt, fail it if it must, record it as finished.
	 * @param record the record
	 */
	public void handle(ConsumerRecord<String, String> record) {
		this.firstStartNanos.putIfAbsent(key(record), System.nanoTime());
		int attempt = this.attempts.computeIfAbsent(key(record), (key) -> new AtomicInteger()).incrementAndGet();
		String value = record.value();
		if (value != null && value.startsWith("fail:") && !this.healed.contains(value)) {
			throw new IllegalStateException("Cannot handle " + value);
		}
		if (value != null && value.startsWith("slow:")) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (value != null && value.startsWith("flaky:") && attempt < 3) {
			throw new IllegalStateException("Flaky failure " + attempt + " of " + value);
		}
		this.handled.add(key(record));
		this.handledInOrder.add(record);
	}

	/**
	 * Let a failing value succeed from now on.
	 * @param value the value
	 */
	public void heal(String value) {
		this.healed.add(value);
	}

	public int attempts(String topic, int partition, long offset) {
		AtomicInteger count = this.attempts.get(topic + "-" + partition + "@" + offset);
		return (count != null) ? count.get() : 0;
	}

	public boolean wasHandled(String topic, int partition, long offset) {
		return this.handled.contains(topic + "-" + partition + "@" + offset);
	}

	/**
	 * Return the offsets of one partition that were handled.
	 * @param partition the partition
	 * @return the offsets, in the order handled
	 */
	public List<Long> handledOffsets(TopicPartition partition) {
		List<Long> offsets = new ArrayList<>();
		synchronized (this.handledInOrder) {
			for (ConsumerRecord<String, String> record : this.handledInOrder) {
				if (record.topic().equals(partition.topic()) && record.partition() == partition.partition()) {
					offsets.add(record.offset());
				}
			}
		}
		return offsets;
	}

	/**
	 * Return the records handled so far, in the order they finished.
	 * @return the records
	 */
	public List<ConsumerRecord<String, String>> handledInOrder() {
		synchronized (this.handledInOrder) {
			return List.copyOf(this.handledInOrder);
		}
	}

	public int handledCount() {
		return this.handled.size();
	}

	/**
	 * Return the events of one type.
	 * @param <E> the type
	 * @param type the type
	 * @return the events, in publication order
	 */
	public <E extends ApplicationEvent> List<E> events(Class<E> type) {
		synchronized (this.events) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}
	}

	/**
	 * Return the offsets of a partition whose handler first started after the first event
	 * of a type was published.
	 * @param partition the partition
	 * @param eventType the event type
	 * @return the offsets, or every started offset if no such event was published
	 */
	public List<Long> startedAfter(TopicPartition partition, Class<?> eventType) {
		long since = this.firstEventNanos.getOrDefault(eventType, Long.MIN_VALUE);
		String prefix = partition.topic() + "-" + partition.partition() + "@";
		List<Long> offsets = new ArrayList<>();
		this.firstStartNanos.forEach((key, started) -> {
			if (key.startsWith(prefix) && started - since > 0) {
				offsets.add(Long.parseLong(key.substring(prefix.length())));
			}
		});
		return offsets;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event.getClass().getPackageName().equals("io.kafkaworker.event")) {
			this.firstEventNanos.putIfAbsent(event.getClass(), System.nanoTime());
			this.events.add(event);
		}
	}

	private static String key(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

}
