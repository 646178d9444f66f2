package io.kafkaworker.chaos.harness;

/**
 * The parameters of one invocation of the harness, shared by its runs.
 *
 * @param seed the seed of every random choice (faults, keys, record faults)
 * @param produceSeconds how long each run produces
 * @param rate records produced per second
 * @param keys distinct keys
 * @param partitions input partitions
 * @param workers worker JVMs in the group
 * @param faultEverySeconds mean time between faults
 * @param bootstrap the broker
 * @param httpPortBase the first worker's HTTP port
 * @param jdbcUrl the database of the JDBC run
 * @param slowMillis how long a slow record's handler runs
 * @param catchUpSeconds longest wait for the group to commit the input's end
 * @param strictDuplicates whether duplicates after SIGTERM or rebalance fail the run
 * @param groupProtocol the workers' group protocol: classic or consumer (KIP-848)
 */
record Settings(long seed, int produceSeconds, int rate, int keys, int partitions, int workers,
		int faultEverySeconds, String bootstrap, int httpPortBase, String jdbcUrl, long slowMillis,
		int catchUpSeconds, boolean strictDuplicates, String groupProtocol) {

}
