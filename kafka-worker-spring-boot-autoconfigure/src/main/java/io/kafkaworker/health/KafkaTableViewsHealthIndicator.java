package io.kafkaworker.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.state.TableView;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code kafkaTableViews} health contributor, in the readiness group: OUT_OF_SERVICE
 * until every table view has read its table up to where it stood when the view started,
 * so that no request is served from a view that is still filling; UP after. Details give
 * each view's topic, rows and lag.
 */
public class KafkaTableViewsHealthIndicator extends AbstractHealthIndicator {

	private final ListableBeanFactory beanFactory;

	/**
	 * Create the indicator.
	 * @param beanFactory where the views are beans
	 */
	public KafkaTableViewsHealthIndicator(ListableBeanFactory beanFactory) {
		super("Table views health check failed");
		this.beanFactory = beanFactory;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean recovered = true;
		Map<String, Object> views = new LinkedHashMap<>();
		for (Map.Entry<String, TableView> view : this.beanFactory.getBeansOfType(TableView.class).entrySet()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("topic", view.getValue().topic());
			details.put("recovered", view.getValue().recovered());
			details.put("rows", view.getValue().size());
			details.put("lag", view.getValue().lag());
			views.put(view.getKey(), details);
			recovered &= view.getValue().recovered();
		}
		builder.status(recovered ? Status.UP : Status.OUT_OF_SERVICE).withDetail("views", views);
	}

}
