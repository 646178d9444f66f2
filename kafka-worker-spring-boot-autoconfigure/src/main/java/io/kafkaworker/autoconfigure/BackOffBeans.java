package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.backoff.BackOff;

/**
 * Finds the {@link BackOff} beans that {@code retry.backoff.bean} names. A name without a
 * bean, or with a bean of another type, fails startup with a message naming the property
 * and the bean.
 */
final class BackOffBeans {

	private final BeanFactory beanFactory;

	BackOffBeans(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Return the back-off bean of a name.
	 * @param name the bean name
	 * @param property the property that names it
	 * @param worker the worker, for messages
	 * @return the bean
	 * @throws KafkaWorkerConfigurationException if there is no such bean or it is not a
	 * {@link BackOff}
	 */
	BackOff get(String name, String property, String worker) {
		if (!this.beanFactory.containsBean(name)) {
			throw new KafkaWorkerConfigurationException(
					property + " names the BackOff bean '" + name + "' (" + worker
							+ "), but there is no bean of that name.",
					"Define a bean named '" + name + "' of type " + BackOff.class.getName() + ", or correct " + property
							+ ".");
		}
		if (!this.beanFactory.isTypeMatch(name, BackOff.class)) {
			throw new KafkaWorkerConfigurationException(
					property + " names the bean '" + name + "' (" + worker + "), which is a "
							+ typeName(this.beanFactory.getType(name)) + ", not a " + BackOff.class.getName() + ".",
					"Name a bean of type " + BackOff.class.getName() + " in " + property + ".");
		}
		return this.beanFactory.getBean(name, BackOff.class);
	}

	private static String typeName(@Nullable Class<?> type) {
		return (type != null) ? type.getName() : "bean of unknown type";
	}

}
