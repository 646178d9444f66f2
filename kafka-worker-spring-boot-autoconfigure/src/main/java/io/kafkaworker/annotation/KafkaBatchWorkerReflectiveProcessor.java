package io.kafkaworker.annotation;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Registers the reflection a {@link KafkaBatchWorker} method needs in a native image: the
 * method itself, which the worker invokes reflectively, and binding hints for the types
 * that deserializers and message converters create for it (the payload type of the
 * payload forms, the key and value types of the record forms).
 *
 * <p>
 * {@link KafkaBatchWorker} is meta-annotated with {@link Reflective @Reflective}, so
 * Spring's ahead-of-time processing applies this processor to every annotated method of
 * every bean, as it does for {@code @KafkaListener} methods through
 * {@code @MessageMapping}.
 */
public class KafkaBatchWorkerReflectiveProcessor implements ReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
		if (element instanceof Method method) {
			hints.registerMethod(method, ExecutableMode.INVOKE);
			interfaceMethods(method).forEach((declared) -> hints.registerMethod(declared, ExecutableMode.INVOKE));
			this.bindingRegistrar.registerReflectionHints(hints, boundTypes(method).toArray(Type[]::new));
		}
	}

	// Behind a JDK proxy, the worker invokes the interface's method
	// (KafkaBatchWorkerAnnotationBeanPostProcessor).
	private static List<Method> interfaceMethods(Method method) {
		List<Method> methods = new ArrayList<>();
		for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(method.getDeclaringClass())) {
			Method declared = ClassUtils.getMethodIfAvailable(type, method.getName(), method.getParameterTypes());
			if (declared != null) {
				methods.add(declared);
			}
		}
		return methods;
	}

	// A method with another shape fails at startup (HandlerSignature), hints or not.
	private static List<Type> boundTypes(Method method) {
		if (method.getParameterCount() != 1) {
			return List.of();
		}
		ResolvableType payload = HandlerSignature.payloadType(method);
		List<ResolvableType> types = ConsumerRecord.class.equals(payload.resolve())
				? List.of(payload.getGeneric(0), payload.getGeneric(1)) : List.of(payload);
		List<Type> bound = new ArrayList<>();
		for (ResolvableType type : types) {
			Class<?> resolved = type.resolve();
			if (resolved != null) {
				// The binding registrar resolves classes and parameterized types, not
				// type
				// variables or wildcards.
				Type declared = type.getType();
				bound
					.add((declared instanceof Class<?> || declared instanceof ParameterizedType) ? declared : resolved);
			}
		}
		return bound;
	}

}
