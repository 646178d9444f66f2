package io.kafkaworker.test;

import java.lang.reflect.Method;
import java.util.Set;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit extension behind {@link EmbeddedKafkaWorkerTest} and
 * {@link InMemoryKafkaWorkerTest}: resolves a {@link KafkaWorkerTestSupport} or
 * {@link KafkaWorkerTester} parameter of a test or lifecycle method from the test's
 * application context. Constructor and {@code @Autowired} parameters are left to Spring's
 * own {@link SpringExtension}, which injects the same bean.
 */
public final class KafkaWorkerTestExtension implements ParameterResolver {

	private static final Set<Class<?>> RESOLVED = Set.of(KafkaWorkerTestSupport.class, KafkaWorkerTester.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return RESOLVED.contains(parameterContext.getParameter().getType())
				&& parameterContext.getDeclaringExecutable() instanceof Method
				&& !parameterContext.isAnnotated(Autowired.class);
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return SpringExtension.getApplicationContext(extensionContext)
			.getBean(parameterContext.getParameter().getType());
	}

}
