package io.kafkaworker.test;

import java.lang.reflect.Method;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit extension behind {@link EmbeddedKafkaWorkerTest}: resolves a
 * {@link KafkaWorkerTestSupport} parameter of a test or lifecycle method from the test's
 * application context. Constructor and {@code @Autowired} parameters are left to Spring's
 * own {@link SpringExtension}, which injects the same bean.
 */
public final class EmbeddedKafkaWorkerExtension implements ParameterResolver {

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == KafkaWorkerTestSupport.class
				&& parameterContext.getDeclaringExecutable() instanceof Method
				&& !parameterContext.isAnnotated(Autowired.class);
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return SpringExtension.getApplicationContext(extensionContext).getBean(KafkaWorkerTestSupport.class);
	}

}
