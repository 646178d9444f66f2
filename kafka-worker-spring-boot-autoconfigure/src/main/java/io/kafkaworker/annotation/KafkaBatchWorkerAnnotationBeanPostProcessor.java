package io.kafkaworker.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link KafkaBatchWorker} methods on every bean and keeps them, with their
 * signatures checked, for the registrar that turns them into listener endpoints.
 *
 * <p>
 * Discovery follows Spring Kafka's {@code KafkaListenerAnnotationBeanPostProcessor}:
 * classes without the annotation are remembered so they are inspected once, the target
 * class is read through AOP proxies, and the method invoked is the one reachable on the
 * proxy. Unlike Spring Kafka it registers nothing itself; registration is a separate step
 * so that this class stays about finding methods.
 */
public class KafkaBatchWorkerAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<WorkerMethod> workerMethods = Collections.synchronizedList(new ArrayList<>());

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		Map<Method, KafkaBatchWorker> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<KafkaBatchWorker>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, KafkaBatchWorker.class));
		if (annotated.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		annotated
			.forEach((method, annotation) -> this.workerMethods.add(workerMethod(bean, beanName, method, annotation)));
		return bean;
	}

	/**
	 * Return the worker methods found so far, in discovery order.
	 * @return the worker methods
	 */
	public List<WorkerMethod> getWorkerMethods() {
		synchronized (this.workerMethods) {
			return List.copyOf(this.workerMethods);
		}
	}

	private WorkerMethod workerMethod(Object bean, String beanName, Method method, KafkaBatchWorker annotation) {
		HandlerSignature signature = HandlerSignature.of(method);
		Method invocable;
		try {
			invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new KafkaWorkerConfigurationException(
					"@KafkaBatchWorker method " + HandlerSignature.describe(method) + " of bean '" + beanName
							+ "' cannot be called through the bean's JDK proxy: " + ex.getMessage(),
					"Declare the method on an interface the bean implements, or proxy the target class "
							+ "(spring.aop.proxy-target-class=true).",
					ex);
		}
		return new WorkerMethod(beanName, bean, invocable, annotation, signature, HandlerSignature.payloadType(method),
				HandlerSignature.describe(method));
	}

}
