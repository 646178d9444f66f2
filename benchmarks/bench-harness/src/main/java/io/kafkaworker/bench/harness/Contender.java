package io.kafkaworker.bench.harness;

import java.util.ArrayList;
import java.util.List;

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
			arguments.add("--kafka.worker.workers.bench.mode=" + this.mode);
			arguments.add("--kafka.worker.workers.bench.concurrency=" + scenario.concurrency());
			if (scenario.java25()) {
				arguments.add("--spring.threads.virtual.enabled=true");
			}
			for (String extra : workerExtras) {
				arguments.add("--kafka.worker.workers.bench." + extra);
			}
		}
		return arguments;
	}

}
