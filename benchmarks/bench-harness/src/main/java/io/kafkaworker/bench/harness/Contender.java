package io.kafkaworker.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One contender: a module, a main class, and how the harness configures it for a
 * scenario.
 *
 * @param id the contender's name in tables and files
 * @param family raw, spring-kafka, parallel-consumer or kafka-worker
 * @param module the Maven module holding its main class
 * @param mainClass the main class
 * @param mode the ordering mode, or null
 * @param comparableTo the Parallel Consumer contender it is compared with, or null
 * @param output how a kafka-worker contender sends one output record per input record
 * after its work: {@link #OUTPUT_TEMPLATE}, {@link #OUTPUT_TRANSACTIONAL}, or null for
 * none
 * @param tableDelivery for a kafka-worker contender counting each key in its group table
 * (P7), the delivery guarantee (AT_LEAST_ONCE or EXACTLY_ONCE); null for a stateless one
 * @param shareGroup for a kafka-worker contender, whether it consumes through a share
 * group ({@code share-group=true}) rather than a consumer group
 * @param observed for a kafka-worker contender, whether its handler calls are observed
 * as a production application would have them ({@code kafka.worker.observation.enabled}
 * with Boot's tracing at 10 % sampling and its metrics handler); the others run with
 * tracing off
 */
record Contender(String id, String family, String module, String mainClass, String mode, String comparableTo,
		String output, String tableDelivery, boolean shareGroup, boolean observed) {

	static final String RAW_ZERO = "raw-zero-work";

	static final String RAW_VIRTUAL_THREADS = "raw-virtual-threads";

	/** Kafka Streams' per-key count (P7). */
	static final String STREAMS = "streams-count";

	/**
	 * Output through a plain (non-transactional) {@code KafkaTemplate}, fire-and-forget,
	 * with {@code delivery = AT_LEAST_ONCE} (the default).
	 */
	static final String OUTPUT_TEMPLATE = "template";

	/**
	 * Output through the {@code TransactionalSender}, with {@code delivery = EXACTLY_ONCE}
	 * (store KAFKA): one Kafka transaction per poll, offsets committed with it.
	 */
	static final String OUTPUT_TRANSACTIONAL = "transactional";

	Contender(String id, String family, String module, String mainClass, String mode, String comparableTo) {
		this(id, family, module, mainClass, mode, comparableTo, null, null, false, false);
	}

	/**
	 * Retries of a failing record (P4) where a contender has a bound on them: attempts,
	 * the first included. kafka-worker's default; the raw consumer uses the same.
	 */
	static final int RETRY_ATTEMPTS = 3;

	/** Growth of the wait between attempts (P4), kafka-worker's default. */
	static final double RETRY_MULTIPLIER = 2.0;

	static List<Contender> standard() {
		List<Contender> contenders = new ArrayList<>();
		contenders.add(new Contender(RAW_ZERO, "raw", "contender-raw", "io.kafkaworker.bench.raw.RawConsumerMain",
				"limit", null));
		contenders.add(new Contender("raw-per-partition", "raw", "contender-raw",
				"io.kafkaworker.bench.raw.RawConsumerMain", "PARTITION", null));
		contenders.add(new Contender("spring-kafka-batch", "spring-kafka", "contender-spring-kafka",
				"io.kafkaworker.bench.springkafka.SpringKafkaMain", "PARTITION", null));
		for (String mode : List.of("PARTITION", "KEY", "UNORDERED")) {
			contenders.add(new Contender("pc-" + mode.toLowerCase(), "parallel-consumer", "contender-parallel-consumer",
					"io.kafkaworker.bench.pc.ParallelConsumerMain", mode, null));
		}
		contenders.add(worker("SERIAL", null));
		contenders.add(worker("PARTITION", "pc-partition"));
		contenders.add(worker("KEY", "pc-key"));
		contenders.add(worker("PARALLEL", "pc-unordered"));
		return contenders;
	}

	/**
	 * The raw consumer of P6 that runs each record on a virtual thread of its own (at most
	 * the scenario's concurrency at once; one poll loop; no order, no safe commits): the
	 * cost of the work's sleep on virtual threads with nothing of an engine around it.
	 * @return the contender
	 */
	static Contender rawVirtualThreads() {
		return new Contender(RAW_VIRTUAL_THREADS, "raw", "contender-raw", "io.kafkaworker.bench.raw.RawConsumerMain",
				"VIRTUAL_THREADS", null);
	}

	/**
	 * The contenders that measure the cost of {@code delivery = EXACTLY_ONCE}: the same
	 * work as {@code worker-key} (and {@code worker-parallel}), then one output record per
	 * input record (same key, a small value) to the scenario's output topic, through a
	 * plain {@code KafkaTemplate} at least once, or through the {@code TransactionalSender}
	 * exactly once. Run in P1 and P2 only.
	 * @return the contenders
	 */
	static List<Contender> sending() {
		return List.of(worker("KEY", null, "worker-key-send", OUTPUT_TEMPLATE),
				worker("KEY", null, "worker-key-eos", OUTPUT_TRANSACTIONAL),
				worker("PARALLEL", null, "worker-parallel-eos", OUTPUT_TRANSACTIONAL));
	}

	/**
	 * The contenders that measure what observation costs: {@code worker-key} and
	 * {@code worker-parallel} with {@code kafka.worker.observation.enabled=true}, Boot's
	 * tracing at 10 % sampling (spans go to OpenTelemetry's batch processor; no exporter
	 * endpoint is set) and its metrics handler. Run in P1 and P2 only.
	 * @return the contenders
	 */
	static List<Contender> observing() {
		return List.of(
				new Contender("worker-key-observed", "kafka-worker", "contender-kafka-worker",
						"io.kafkaworker.bench.worker.KafkaWorkerMain", "KEY", null, null, null, false, true),
				new Contender("worker-parallel-observed", "kafka-worker", "contender-kafka-worker",
						"io.kafkaworker.bench.worker.KafkaWorkerMain", "PARALLEL", null, null, null, false, true));
	}

	private static Contender worker(String mode, String comparableTo) {
		return worker(mode, comparableTo, "worker-" + mode.toLowerCase(), null);
	}

	private static Contender worker(String mode, String comparableTo, String id, String output) {
		return new Contender(id, "kafka-worker", "contender-kafka-worker",
				"io.kafkaworker.bench.worker.KafkaWorkerMain", mode, comparableTo, output, null, false, false);
	}

	/**
	 * The contenders of P8, each run as several JVMs in one group: kafka-worker PARALLEL
	 * over a consumer group (a JVM per partition at most: the others idle) and over a
	 * share group (every JVM gets records of every partition).
	 * @return the contenders
	 */
	static List<Contender> fleet() {
		return List.of(worker("PARALLEL", null),
				new Contender("worker-parallel-share", "kafka-worker", "contender-kafka-worker",
						"io.kafkaworker.bench.worker.KafkaWorkerMain", "PARALLEL", null, null, null, true, false));
	}

	/**
	 * The contenders of P7, a per-key counter: {@code worker-key} (stateless, the same
	 * work), kafka-worker KEY counting in its group table through a {@code TableRow<Long>}
	 * at least once and exactly once, and Kafka Streams' {@code groupByKey().count()}.
	 * @return the contenders
	 */
	static List<Contender> stateful() {
		List<Contender> contenders = new ArrayList<>();
		contenders.add(worker("KEY", null));
		for (String delivery : List.of("AT_LEAST_ONCE", "EXACTLY_ONCE")) {
			contenders.add(new Contender(
					"worker-key-table" + ("EXACTLY_ONCE".equals(delivery) ? "-eos" : ""), "kafka-worker",
					"contender-kafka-worker", "io.kafkaworker.bench.worker.KafkaWorkerMain", "KEY", null, null,
					delivery, false, false));
		}
		contenders.add(new Contender(STREAMS, "kafka-streams", "contender-kafka-streams",
				"io.kafkaworker.bench.streams.KafkaStreamsMain", "KEY", null));
		return contenders;
	}

	boolean sendsOutput() {
		return this.output != null;
	}

	boolean isLimit() {
		return RAW_ZERO.equals(this.id);
	}

	/**
	 * Return whether this contender can run as several JVMs at once: its main starts
	 * consuming only when the harness starts the fleet (the probe's
	 * {@code awaitFleetStart}).
	 * @return true for kafka-worker
	 */
	boolean runsAsFleet() {
		return "kafka-worker".equals(this.family);
	}

	/**
	 * Return the system properties that configure this contender for a scenario, besides
	 * the probe's.
	 * @param scenario the scenario
	 * @param bootstrap the broker
	 * @param topic the scenario's topic
	 * @param group a fresh consumer group
	 * @param outputTopic the scenario's output topic, for the contenders that send
	 * @return JVM system properties (-D...)
	 */
	List<String> systemProperties(Scenario scenario, String bootstrap, String topic, String group,
			String outputTopic) {
		List<String> properties = new ArrayList<>();
		properties.add("-Dbench.bootstrap=" + bootstrap);
		properties.add("-Dbench.topic=" + topic);
		properties.add("-Dbench.group=" + group);
		properties.add("-Dbench.concurrency=" + scenario.concurrency());
		if (this.mode != null) {
			properties.add("-Dbench.mode=" + this.mode);
		}
		if (sendsOutput()) {
			properties.add("-Dbench.output=" + this.output);
			properties.add("-Dbench.output.topic=" + outputTopic);
		}
		if ("raw".equals(this.family)) {
			// One poll loop for the limit and the virtual-thread consumer, as kafka-worker
			// runs by default; one per partition for the partition-bound one.
			properties.add("-Dbench.consumers=" + (isLimit() ? Integer.getInteger("bench.limitConsumers", 1)
					: RAW_VIRTUAL_THREADS.equals(this.id) ? 1 : scenario.partitions()));
		}
		if (this.tableDelivery != null) {
			properties.add("-Dbench.table=true");
		}
		if ("kafka-streams".equals(this.family)) {
			// One stream thread per partition: Kafka Streams runs one task per input
			// partition, so more threads would have nothing to do.
			properties.add("-Dbench.streams.threads=" + scenario.partitions());
		}
		if ("raw".equals(this.family) || "parallel-consumer".equals(this.family)
				|| "kafka-streams".equals(this.family)) {
			properties.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
		}
		if (scenario.hasFailingPartition() && !isLimit()) {
			properties.add("-Dbench.retry.attempts=" + RETRY_ATTEMPTS);
			// The first wait is the scenario's (10 ms), for every contender; the contenders
			// that retry forever (Parallel Consumer, Spring Kafka) wait at most
			// retryMaxMs (1 s: Parallel Consumer's own default retry delay).
			properties.add("-Dbench.retry.initial.ms=" + scenario.retryInitialMs());
			properties.add("-Dbench.retry.multiplier=" + RETRY_MULTIPLIER);
			properties.add("-Dbench.retry.max.ms=" + scenario.retryMaxMs());
		}
		return properties;
	}

	/**
	 * Return the program arguments that configure this contender for a scenario.
	 * @param scenario the scenario
	 * @param bootstrap the broker
	 * @param workerExtras extra settings of kafka-worker ({@code --worker.x=y} on the
	 * command line), passed as {@code kafka.worker.workers.bench.x=y}
	 * @param springProperties Spring Boot properties ({@code --spring.x=y} on the command
	 * line) for the Spring contenders (Spring Kafka and kafka-worker), replacing the
	 * harness's own value of the same property
	 * @return the arguments
	 */
	List<String> programArguments(Scenario scenario, String bootstrap, List<String> workerExtras,
			List<String> springProperties) {
		List<String> arguments = new ArrayList<>();
		if ("spring-kafka".equals(this.family) || "kafka-worker".equals(this.family)) {
			arguments.add("--spring.kafka.bootstrap-servers=" + bootstrap);
			arguments.add("--spring.kafka.consumer.auto-offset-reset=earliest");
			arguments.add("--spring.main.banner-mode=off");
			arguments.add("--logging.level.root=WARN");
			arguments.add("--logging.level.io.kafkaworker=INFO");
			if (this.observed) {
				arguments.add("--kafka.worker.observation.enabled=true");
				arguments.add("--management.tracing.sampling.probability=0.1");
			}
			else {
				// Boot 4's switch (management.tracing.enabled is gone since 4.0 and
				// ignored).
				arguments.add("--management.tracing.export.enabled=false");
			}
		}
		if ("spring-kafka".equals(this.family)) {
			arguments.add("--spring.kafka.listener.type=batch");
			arguments.add("--spring.kafka.listener.concurrency=" + scenario.partitions());
		}
		if ("kafka-worker".equals(this.family)) {
			// Mode and concurrency, and in P4 short retries (kafka-worker's default
			// back-off starts at 1 s) without jitter, as the Spring Kafka contender's,
			// before the default FREEZE; everything else at its default. A --worker.NAME=VALUE of the command line replaces a setting of the
			// same name (Spring Boot would join two values of one argument with a comma).
			Map<String, String> settings = new LinkedHashMap<>();
			settings.put("mode", this.mode);
			settings.put("concurrency", Integer.toString(scenario.concurrency()));
			if (OUTPUT_TRANSACTIONAL.equals(this.output)) {
				settings.put("delivery", "EXACTLY_ONCE");
			}
			if (this.tableDelivery != null) {
				settings.put("delivery", this.tableDelivery);
			}
			if (this.shareGroup) {
				// A share worker refuses the default on-failure, FREEZE (a share group
				// has no partition to stop); no record fails in P8: SKIP is never used.
				// A new share group starts at the latest records, past the seeded topic:
				// the worker sets its group to start at the earliest before it joins.
				settings.put("share-group", "true");
				settings.put("on-failure", "SKIP");
				settings.put("share.auto-offset-reset", "earliest");
			}
			if (scenario.instances() > 1) {
				// The harness starts the workers of a fleet's JVMs together, once every
				// JVM's application started.
				settings.put("auto-startup", "false");
			}
			if (scenario.hasFailingPartition()) {
				settings.put("retry.max-attempts", Integer.toString(RETRY_ATTEMPTS));
				settings.put("retry.backoff.initial", scenario.retryInitialMs() + "ms");
				settings.put("retry.backoff.jitter", "0");
			}
			for (String extra : workerExtras) {
				int equals = extra.indexOf('=');
				settings.put((equals < 0) ? extra : extra.substring(0, equals),
						(equals < 0) ? null : extra.substring(equals + 1));
			}
			settings.forEach((name, value) -> arguments
				.add("--kafka.worker.workers.bench." + name + ((value != null) ? "=" + value : "")));
			if (scenario.java25()) {
				arguments.add("--spring.threads.virtual.enabled=true");
			}
			if (sendsOutput()) {
				// The producer of both the plain KafkaTemplate and the worker's
				// transactional producers: Boot's spring.kafka.producer.* (its defaults
				// besides the serializers, which are its defaults too, said explicitly).
				arguments.add("--spring.kafka.producer.key-serializer="
						+ "org.apache.kafka.common.serialization.StringSerializer");
				arguments.add("--spring.kafka.producer.value-serializer="
						+ "org.apache.kafka.common.serialization.StringSerializer");
			}
		}
		if ("spring-kafka".equals(this.family) || "kafka-worker".equals(this.family)) {
			// Replaced, not repeated: Spring Boot joins two values of one property.
			for (String property : springProperties) {
				String prefix = "--" + property.substring(0, property.indexOf('=') + 1);
				arguments.removeIf((argument) -> argument.startsWith(prefix));
				arguments.add("--" + property);
			}
		}
		return arguments;
	}

}
