package io.kafkaworker.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

import org.springframework.beans.factory.config.AutowireCapableBeanFactory;

/**
 * Creates kafka-cli's commands with Spring, so that their constructors receive beans; an
 * existing bean (the {@link ConnectionOptions} read before the context started) is used
 * as is. Everything else picocli needs (collections, converters of other packages) comes
 * from picocli's own factory.
 */
class SpringCommandFactory implements IFactory {

	private final AutowireCapableBeanFactory beanFactory;

	SpringCommandFactory(AutowireCapableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public <K> K create(Class<K> type) throws Exception {
		if (!type.getPackageName().equals(SpringCommandFactory.class.getPackageName())) {
			return CommandLine.defaultFactory().create(type);
		}
		return this.beanFactory.getBeanProvider(type).getIfAvailable(() -> this.beanFactory.createBean(type));
	}

}
