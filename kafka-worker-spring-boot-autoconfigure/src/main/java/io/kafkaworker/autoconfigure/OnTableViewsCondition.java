package io.kafkaworker.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code kafka.worker.views} configures at least one view. The views become
 * beans after the conditions of configuration classes are evaluated, so bean conditions
 * cannot see them; the configuration can.
 */
public class OnTableViewsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean configured = !Binder.get(context.getEnvironment())
			.bind("kafka.worker.views", Bindable.mapOf(String.class, Object.class))
			.orElseGet(Map::of)
			.isEmpty();
		return new ConditionOutcome(configured, "kafka.worker.views " + (configured ? "is" : "is not") + " set");
	}

}
