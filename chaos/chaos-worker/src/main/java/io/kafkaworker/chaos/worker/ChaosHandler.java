package io.kafkaworker.chaos.worker;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The worker: applies the record-level fault the producer chose in the
 * {@code chaos-fault} header, then records one effect per handling through the run's
 * {@link Effect}.
 *
 * <p>
 * Faults: {@code fail:N} throws on the first N attempts in this process (then succeeds),
 * {@code fail:always} always throws, {@code slow} sleeps {@code chaos.slow-ms} (longer
 * than {@code max.poll.interval.ms}). Poison pills never get here: the
 * {@link ChaosValueDeserializer} refuses them.
 */
@Component
public class ChaosHandler {

	/** The header carrying a record's fault. */
	public static final String FAULT_HEADER = "chaos-fault";

	private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

	private final Effect effect;

	private final String incarnation;

	private final long slowMillis;

	ChaosHandler(Effect effect, @Value("${chaos.incarnation}") String incarnation,
			@Value("${chaos.slow-ms:20000}") long slowMillis) {
		this.effect = effect;
		this.incarnation = incarnation;
		this.slowMillis = slowMillis;
	}

	/**
	 * Handle a record.
	 * @param record the record: key {@code k<n>}, value its sequence number in the key
	 * @throws InterruptedException if interrupted while slow
	 */
	@KafkaBatchWorker(id = "chaos", topics = "${chaos.topic}", groupId = "${chaos.group}")
	public void handle(ConsumerRecord<String, String> record) throws InterruptedException {
		int attempt = this.attempts.merge(record.partition() + ":" + record.offset(), 1, Integer::sum);
		String fault = fault(record);
		if (fault.equals("fail:always")) {
			throw new IllegalStateException("chaos: always fails (attempt " + attempt + ")");
		}
		if (fault.startsWith("fail:") && attempt <= Integer.parseInt(fault.substring(5))) {
			throw new IllegalStateException("chaos: fails on attempt " + attempt + " (" + fault + ")");
		}
		if (fault.equals("slow")) {
			Thread.sleep(this.slowMillis);
		}
		String line = record.partition() + "," + record.offset() + "," + record.value() + "," + this.incarnation + ","
				+ attempt + "," + System.currentTimeMillis();
		this.effect.apply(record, line);
	}

	private static String fault(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader(FAULT_HEADER);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "";
	}

}
