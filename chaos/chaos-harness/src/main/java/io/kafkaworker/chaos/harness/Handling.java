package io.kafkaworker.chaos.harness;

/**
 * One handling of an input record, as its effect records it: an output record's value or
 * an effect row, {@code key,partition,offset,sequence,incarnation,attempt,millis}.
 *
 * @param key the input key
 * @param partition the input partition
 * @param offset the input offset
 * @param incarnation the worker incarnation that handled it
 * @param attempt the attempt within that incarnation
 * @param time when the handler ran, wall-clock milliseconds
 */
record Handling(String key, int partition, long offset, String incarnation, int attempt, long time) {

	static Handling parse(String key, String line) {
		String[] fields = line.split(",");
		return new Handling(key, Integer.parseInt(fields[0]), Long.parseLong(fields[1]), fields[3],
				Integer.parseInt(fields[4]), Long.parseLong(fields[5]));
	}

	String record() {
		return this.partition + "@" + this.offset;
	}

}
