package io.kafkaworker.samples.backfill;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.event.ReaderFinishedEvent;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Totals order amounts per customer, one customer's orders at a time (KEY mode) and many
 * customers at once; when the reader reached its end, prints the largest totals.
 */
@Component
public class OrderTotals {

	/**
	 * The worker id, which its settings are under.
	 */
	static final String WORKER = "totals";

	private static final Log logger = LogFactory.getLog(OrderTotals.class);

	private final Map<String, Long> totals = new ConcurrentHashMap<>();

	private final DemoWorkload workload;

	OrderTotals(DemoWorkload workload) {
		this.workload = workload;
	}

	/**
	 * Add an order to its customer's total.
	 * @param order the order: the customer as key, the amount as value
	 * @throws InterruptedException if interrupted during the simulated I/O
	 */
	@KafkaBatchWorker(id = WORKER, topics = BackfillApplication.TOPIC, mode = Mode.KEY)
	public void add(ConsumerRecord<String, String> order) throws InterruptedException {
		Thread.sleep(this.workload.workMs());
		this.totals.merge(order.key(), Long.parseLong(order.value()), Long::sum);
	}

	@EventListener
	void finished(ReaderFinishedEvent event) {
		String top = this.totals.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
			.limit(3)
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(", "));
		logger.info(String.format("Backfill done: %,d orders of %d customers; largest totals %s", event.getRecords(),
				this.totals.size(), top));
	}

	/**
	 * Return the totals so far, by customer.
	 * @return the totals
	 */
	Map<String, Long> totals() {
		return Map.copyOf(this.totals);
	}

}
