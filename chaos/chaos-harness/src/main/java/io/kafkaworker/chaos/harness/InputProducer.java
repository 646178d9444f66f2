package io.kafkaworker.chaos.harness;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The independent producer: an idempotent {@code KafkaProducer} writing keyed records at a
 * steady rate. Keys are {@code k<n>}, drawn with the run's seed; each value is the
 * record's sequence number within its key. A record fault asked for by the schedule goes
 * on the next record, in the {@code chaos-fault} header (a poison pill's value starts
 * with {@code POISON} instead).
 */
final class InputProducer implements Runnable {

	private final Settings settings;

	private final String topic;

	private final Random random;

	private final FaultLog faults;

	private final ConcurrentLinkedQueue<Fault> pending = new ConcurrentLinkedQueue<>();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicReference<Exception> lastFailure = new AtomicReference<>();

	private volatile boolean stop;

	InputProducer(Settings settings, String topic, long seed, FaultLog faults) {
		this.settings = settings;
		this.topic = topic;
		this.random = new Random(seed);
		this.faults = faults;
	}

	/**
	 * Put a record fault on the next record.
	 * @param fault a record fault
	 */
	void inject(Fault fault) {
		this.pending.add(fault);
	}

	void stop() {
		this.stop = true;
	}

	long sent() {
		return this.sent.get();
	}

	long failed() {
		return this.failed.get();
	}

	@Override
	public void run() {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.settings.bootstrap());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
		long[] sequences = new long[this.settings.keys()];
		long periodNanos = 1_000_000_000L / this.settings.rate();
		long start = System.nanoTime();
		long end = start + this.settings.produceSeconds() * 1_000_000_000L;
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
			long next = start;
			while (!this.stop && next < end) {
				long wait = next - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				int keyIndex = this.random.nextInt(this.settings.keys());
				String key = "k" + keyIndex;
				long sequence = sequences[keyIndex]++;
				send(producer, key, sequence, this.pending.poll());
				next += periodNanos;
			}
			producer.flush();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void send(KafkaProducer<String, String> producer, String key, long sequence, Fault fault) {
		String value = (fault == Fault.POISON_PILL) ? "POISON-" + sequence : Long.toString(sequence);
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, key, value);
		String header = switch ((fault != null) ? fault : Fault.START) {
			case RETRY_RECORD -> "fail:2";
			case HEALING_RECORD -> "fail:4";
			case FAILING_RECORD -> "fail:always";
			case SLOW_RECORD -> "slow";
			default -> null;
		};
		if (header != null) {
			record.headers().add("chaos-fault", header.getBytes(StandardCharsets.UTF_8));
		}
		producer.send(record, (metadata, failure) -> {
			if (failure != null) {
				this.failed.incrementAndGet();
				this.lastFailure.set(failure);
			}
			else {
				this.sent.incrementAndGet();
				if (fault != null) {
					this.faults.add(fault, metadata.partition() + "@" + metadata.offset(),
							"key " + key + " seq " + sequence + ((header != null) ? " header " + header : ""));
				}
			}
		});
	}

}
