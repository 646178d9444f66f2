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
 */
record Contender(String id, String family, String module, String mainClass, String mode, String comparableTo) {

	static final String RAW_ZERO = "raw-zero-work";

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

	private static Contender worker(String mode, String comparableTo) {
		return new Contender("worker-" + mode.toLowerCase(), "kafka-worker", "contender-kafka-worker",
				"io.kafkaworker.bench.worker.KafkaWorkerMain", mode, comparableTo);
	}

	boolean isLimit() {
		return RAW_ZERO.equals(this.id);
	}

	/**
	 * Return the system properties that configure this contender for a scenario, besides
	 * the probe's.
	 * @param scenario the scenario
	 * @param bootstrap the broker
	 * @param topic the scenario's topic
	 * @param group a fresh consumer group
	 * @return JVM system properties (-D...)
	 */
	List<String> systemProperties(Scenario scenario, String bootstrap, String topic, String group) {
		List<String> properties = new ArrayList<>();
		properties.add("-Dbench.bootstrap=" + bootstrap);
		properties.add("-Dbench.topic=" + topic);
		properties.add("-Dbench.group=" + group);
		properties.add("-Dbench.concurrency=" + scenario.concurrency());
		if (this.mode != null) {
			properties.add("-Dbench.mode=" + this.mode);
		}
		if ("raw".equals(this.family)) {
			properties.add("-Dbench.consumers="
					+ (isLimit() ? Integer.getInteger("bench.limitConsumers", 1) : scenario.partitions()));
		}
		if ("raw".equals(this.family) || "parallel-consumer".equals(this.family)) {
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
	 * @return the arguments
	 */
	List<String> programArguments(Scenario scenario, String bootstrap, List<String> workerExtras) {
		List<String> arguments = new ArrayList<>();
		if ("spring-kafka".equals(this.family) || "kafka-worker".equals(this.family)) {
			arguments.add("--spring.kafka.bootstrap-servers=" + bootstrap);
			arguments.add("--spring.kafka.consumer.auto-offset-reset=earliest");
			arguments.add("--spring.main.banner-mode=off");
			arguments.add("--logging.level.root=WARN");
			arguments.add("--logging.level.io.kafkaworker=INFO");
			arguments.add("--management.tracing.enabled=false");
		}
		if ("spring-kafka".equals(this.family)) {
			arguments.add("--spring.kafka.listener.type=batch");
			arguments.add("--spring.kafka.listener.concurrency=" + scenario.partitions());
		}
		if ("kafka-worker".equals(this.family)) {
			// Mode and concurrency, and in P4 short retries (kafka-worker's default
			// back-off starts at 1 s) before the default FREEZE; everything else at its
			// default. A --worker.NAME=VALUE of the command line replaces a setting of the
			// same name (Spring Boot would join two values of one argument with a comma).
			Map<String, String> settings = new LinkedHashMap<>();
			settings.put("mode", this.mode);
			settings.put("concurrency", Integer.toString(scenario.concurrency()));
			if (scenario.hasFailingPartition()) {
				settings.put("retry.max-attempts", Integer.toString(RETRY_ATTEMPTS));
				settings.put("retry.backoff.initial", scenario.retryInitialMs() + "ms");
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
		}
		return arguments;
	}

}
