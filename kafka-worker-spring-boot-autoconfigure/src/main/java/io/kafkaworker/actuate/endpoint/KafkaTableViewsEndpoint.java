package io.kafkaworker.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkaworker.state.KafkaTableView;
import io.kafkaworker.state.TableView;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.core.convert.ConversionService;

/**
 * The {@code kafkaviews} actuator endpoint: the table views with their topic, rows, lag
 * and whether they recovered ({@code GET /actuator/kafkaviews}), one view
 * ({@code /kafkaviews/{name}}), and one row ({@code /kafkaviews/{name}/{key}}, 404 when
 * there is no such row; the key is converted to the view's key type). Read-only.
 */
@Endpoint(id = "kafkaviews")
public class KafkaTableViewsEndpoint {

	private final ListableBeanFactory beanFactory;

	private final ConversionService conversionService;

	/**
	 * Create the endpoint.
	 * @param beanFactory where the views are beans
	 * @param conversionService converts a key given as text to a view's key type
	 */
	public KafkaTableViewsEndpoint(ListableBeanFactory beanFactory, ConversionService conversionService) {
		this.beanFactory = beanFactory;
		this.conversionService = conversionService;
	}

	/**
	 * Describe every view.
	 * @return the views by name
	 */
	@ReadOperation
	public Map<String, ViewDescriptor> views() {
		Map<String, ViewDescriptor> views = new LinkedHashMap<>();
		tableViews().forEach((name, view) -> views.put(name, describe(view)));
		return views;
	}

	/**
	 * Describe one view.
	 * @param name the view's name
	 * @return the view, or null (404) if there is none of that name
	 */
	@ReadOperation
	public @Nullable ViewDescriptor view(@Selector String name) {
		TableView<?, ?> view = find(name);
		return (view != null) ? describe(view) : null;
	}

	/**
	 * Look one row up.
	 * @param name the view's name
	 * @param key the row's key, as text
	 * @return the row, or null (404) if there is no such view or row
	 */
	@ReadOperation
	@SuppressWarnings("unchecked")
	public @Nullable RowDescriptor row(@Selector String name, @Selector String key) {
		TableView<Object, Object> view = (TableView<Object, Object>) find(name);
		if (view == null) {
			return null;
		}
		Class<?> keyType = (view instanceof KafkaTableView<?, ?> kafkaView) ? kafkaView.keyType() : String.class;
		Object typedKey = this.conversionService.convert(key, keyType);
		Object value = (typedKey != null) ? view.get(typedKey) : null;
		return (value != null) ? new RowDescriptor(key, value) : null;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Map<String, TableView<?, ?>> tableViews() {
		return (Map) this.beanFactory.getBeansOfType(TableView.class);
	}

	private @Nullable TableView<?, ?> find(String name) {
		return tableViews().get(name);
	}

	private static ViewDescriptor describe(TableView<?, ?> view) {
		return new ViewDescriptor(view.topic(), view.recovered(), view.size(), view.lag());
	}

	/**
	 * A view.
	 *
	 * @param topic the table topic
	 * @param recovered whether it has read its table up to where it stood at the start
	 * @param rows the rows it holds
	 * @param lag the records it has still to read
	 */
	public record ViewDescriptor(String topic, boolean recovered, long rows, long lag) {

	}

	/**
	 * A row.
	 *
	 * @param key the key
	 * @param value the value
	 */
	public record RowDescriptor(String key, Object value) {

	}

}
