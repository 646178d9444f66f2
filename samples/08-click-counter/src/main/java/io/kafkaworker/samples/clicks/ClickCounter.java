package io.kafkaworker.samples.clicks;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.state.TableRow;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.stereotype.Component;

/**
 * goka's processor: counts each user's clicks in the worker's group table.
 */
@Component
public class ClickCounter {

	/**
	 * The worker's id, which is also its consumer group: its table is the compacted topic
	 * {@value #TABLE}.
	 */
	static final String ID = "click-counter";

	/**
	 * The worker's group table: its group id followed by {@code -table}.
	 */
	static final String TABLE = ID + "-table";

	/**
	 * Count a click. The second parameter is the row of the click's key (the user) in the
	 * group table, as goka's {@code ctx.Value()} and {@code ctx.SetValue(...)}. KEY mode
	 * runs one user's clicks one at a time, in order, and different users at once; with
	 * EXACTLY_ONCE the new row is written in the transaction that commits the click's
	 * offset, so the table counts every click once, through crashes and rebalances, and a
	 * restarted worker continues from the table.
	 * @param click the click: key = user id, value = page
	 * @param user the user's row, null until the first click
	 */
	@KafkaBatchWorker(id = ID, topics = ClickCounterApplication.TOPIC, mode = Mode.KEY,
			delivery = Delivery.EXACTLY_ONCE)
	public void count(ConsumerRecord<String, String> click, TableRow<ClickCount> user) {
		ClickCount before = user.getOrDefault(new ClickCount(0, ""));
		user.set(before.plus(click.value()));
	}

}
