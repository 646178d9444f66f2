package io.kafkaworker.samples.workqueue;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo jobs: job {@code n} of a batch asks for the thumbnail of image
 * {@code images/<batch>/<n>.jpg}. Every {@value #CORRUPT_EVERY}th image is corrupt (its
 * jobs fail at every attempt, so they end in the dead-letter topic), and the image store
 * times out on the first attempt of every {@value #FLAKY_EVERY}th (retried, it succeeds).
 */
final class ThumbnailJobs {

	/**
	 * One image in this many is corrupt: jobs {@code 499}, {@code 999}, and so on.
	 */
	static final int CORRUPT_EVERY = 500;

	/**
	 * One image in this many times out once: jobs {@value #FLAKY_FIRST}, {@code 142}, and
	 * so on.
	 */
	static final int FLAKY_EVERY = 100;

	/**
	 * The first job whose image times out once.
	 */
	static final int FLAKY_FIRST = 42;

	private static final String CORRUPT = ".corrupt.jpg";

	private static final String FLAKY = ".slow-store.jpg";

	private ThumbnailJobs() {
	}

	/**
	 * Return job {@code n} of a batch.
	 * @param batch the batch, which prefixes the job's key
	 * @param n the job's number in the batch
	 * @return the job: its id as the key, the image as the value
	 */
	static ProducerRecord<String, String> job(String batch, int n) {
		return new ProducerRecord<>(WorkQueueApplication.TOPIC, batch + "-" + n, image(batch, n));
	}

	/**
	 * Return the image of job {@code n} of a batch.
	 * @param batch the batch
	 * @param n the job's number
	 * @return the image's path
	 */
	static String image(String batch, int n) {
		String suffix = (n % CORRUPT_EVERY == CORRUPT_EVERY - 1) ? CORRUPT
				: (n % FLAKY_EVERY == FLAKY_FIRST) ? FLAKY : ".jpg";
		return "images/" + batch + "/" + n + suffix;
	}

	/**
	 * Return whether an image cannot be read.
	 * @param image the image's path
	 * @return whether every attempt at it fails
	 */
	static boolean isCorrupt(String image) {
		return image.endsWith(CORRUPT);
	}

	/**
	 * Return whether the store times out once on an image.
	 * @param image the image's path
	 * @return whether its first attempt fails
	 */
	static boolean isFlaky(String image) {
		return image.endsWith(FLAKY);
	}

}
