package io.kafkaworker.chaos.harness;

/**
 * The topics and group of one run, all fresh.
 *
 * @param input the input topic
 * @param output the output topic (keyed by input key)
 * @param deadLetters the input's dead-letter topic ({@code <input>-dlt}, created by the
 * worker)
 * @param group the workers' consumer group
 * @param partitions the partition count of input and output
 */
record Topics(String input, String output, String deadLetters, String group, int partitions) {

	static Topics of(String runId, RunSpec spec, int partitions) {
		String base = "chaos-" + runId + "-" + spec.name();
		return new Topics(base + "-in", base + "-out", base + "-in-dlt", base, partitions);
	}

}
