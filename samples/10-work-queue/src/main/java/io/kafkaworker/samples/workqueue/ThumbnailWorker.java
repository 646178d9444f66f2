package io.kafkaworker.samples.workqueue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.samples.support.DemoStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * Renders thumbnails: one job per call, up to 8 at once per instance, in no order, taken
 * from the share group that every instance of the application joins.
 */
@Component
public class ThumbnailWorker {

	/**
	 * The worker id, which its settings in {@code application.yml} are under, and the
	 * share group's name (its group id).
	 */
	static final String WORKER = "thumbnails";

	private final DemoStore store;

	// The jobs on whose first attempt the store timed out, by position.
	private final Set<String> timedOut = ConcurrentHashMap.newKeySet();

	ThumbnailWorker(DemoStore store) {
		this.store = store;
	}

	/**
	 * Render one thumbnail. {@code shareGroup} makes the worker consume through a share
	 * group: the broker hands each job to one member of the group, locks it meanwhile,
	 * and delivers it again if that member dies. A failed call is retried in place
	 * ({@code retry.*} in {@code application.yml}) while the worker keeps the job locked;
	 * after the last attempt the job is published to the dead-letter topic and
	 * acknowledged, like a message an SQS redrive policy moves to its dead-letter queue.
	 * @param job the job: its id as key, the image's path as value
	 * @throws InterruptedException if the worker stops during the call
	 */
	@KafkaBatchWorker(id = WORKER, topics = WorkQueueApplication.TOPIC, mode = Mode.PARALLEL, shareGroup = "true",
			concurrency = 8)
	public void render(ConsumerRecord<String, String> job) throws InterruptedException {
		String image = job.value();
		if (ThumbnailJobs.isCorrupt(image)) {
			throw new IllegalArgumentException("Cannot decode " + image + ": not a JPEG image");
		}
		if (ThumbnailJobs.isFlaky(image)
				&& this.timedOut.add(job.topic() + "-" + job.partition() + "@" + job.offset())) {
			throw new IllegalStateException("Image store timed out reading " + image);
		}
		// Stands for reading the image, scaling it and writing the thumbnail.
		this.store.save(job);
	}

}
