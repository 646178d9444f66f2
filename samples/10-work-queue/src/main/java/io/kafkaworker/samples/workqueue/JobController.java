package io.kafkaworker.samples.workqueue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.kafkaworker.samples.support.DemoSeeder;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enqueues jobs, as the web tier of an application with a work queue would: any instance
 * takes them, not only the one that enqueued them.
 */
@RestController
public class JobController {

	private final DemoSeeder seeder;

	private final AtomicInteger batches = new AtomicInteger();

	JobController(DemoSeeder seeder) {
		this.seeder = seeder;
	}

	/**
	 * Enqueue thumbnail jobs, for example {@code curl -X POST
	 * 'localhost:8080/thumbnails?count=3000'}.
	 * @param count how many jobs
	 * @return the batch the jobs' keys start with, and how many were written
	 */
	@PostMapping("/thumbnails")
	public Map<String, Object> enqueue(@RequestParam(defaultValue = "1000") int count) {
		// Unique across instances and restarts, so that the keys say which request a
		// job came from.
		String batch = "upload-" + Long.toString(System.currentTimeMillis(), 36) + "-" + this.batches.incrementAndGet();
		long written = this.seeder.send(IntStream.range(0, count).mapToObj((n) -> ThumbnailJobs.job(batch, n)));
		return Map.of("batch", batch, "enqueued", written, "topic", WorkQueueApplication.TOPIC);
	}

}
