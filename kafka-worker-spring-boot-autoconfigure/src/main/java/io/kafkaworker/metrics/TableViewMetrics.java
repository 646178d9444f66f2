package io.kafkaworker.metrics;

import java.util.Map;

import io.kafkaworker.state.TableView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges of the table views: rows held ({@code kafka.worker.view.rows}) and records still
 * to read ({@code kafka.worker.view.lag}), tagged with the view's name.
 */
public class TableViewMetrics implements MeterBinder {

	private final Map<String, ? extends TableView<?, ?>> views;

	/**
	 * Create the gauges' binder.
	 * @param views the views, by name
	 */
	public TableViewMetrics(Map<String, ? extends TableView<?, ?>> views) {
		this.views = Map.copyOf(views);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.views.forEach((name, view) -> {
			Gauge.builder("kafka.worker.view.rows", view, TableView::size)
				.tags("view", name, "topic", view.topic())
				.baseUnit("rows")
				.description("Rows a table view holds")
				.register(registry);
			Gauge.builder("kafka.worker.view.lag", view, TableView::lag)
				.tags("view", name, "topic", view.topic())
				.baseUnit("records")
				.description("Records of its table a view has still to read")
				.register(registry);
		});
	}

}
