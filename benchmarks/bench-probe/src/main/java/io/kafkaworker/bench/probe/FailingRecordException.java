package io.kafkaworker.bench.probe;

/**
 * What {@link Probe#handle} throws for a record of the failing partition (scenario P4):
 * a failure that no retry cures. It carries no stack trace, so that producing and
 * logging it costs every contender the same little.
 */
public final class FailingRecordException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int partition;

	private final long offset;

	FailingRecordException(int partition, long offset) {
		super("bench: record " + partition + "@" + offset + " fails (its partition fails from here on)", null, false,
				false);
		this.partition = partition;
		this.offset = offset;
	}

	/**
	 * Return the failing record's partition.
	 * @return the partition
	 */
	public int partition() {
		return this.partition;
	}

	/**
	 * Return the failing record's offset.
	 * @return the offset
	 */
	public long offset() {
		return this.offset;
	}

}
