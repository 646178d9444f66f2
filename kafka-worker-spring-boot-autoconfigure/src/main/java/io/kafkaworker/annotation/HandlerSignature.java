package io.kafkaworker.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import io.kafkaworker.state.TableRow;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.messaging.Message;

/**
 * The supported shapes of a {@link KafkaBatchWorker} method.
 */
public enum HandlerSignature {

	/**
	 * {@code void m(ConsumerRecord<K, V> record)}.
	 */
	RECORD(false),

	/**
	 * {@code void m(V payload)}.
	 */
	PAYLOAD(false),

	/**
	 * {@code void m(List<ConsumerRecord<K, V>> records)}.
	 */
	RECORD_LIST(true),

	/**
	 * {@code void m(List<V> payloads)}.
	 */
	PAYLOAD_LIST(true);

	/**
	 * The supported signatures, for error messages.
	 */
	public static final String SUPPORTED = "void m(ConsumerRecord<K, V> record), void m(V payload), "
			+ "void m(List<ConsumerRecord<K, V>> records) or void m(List<V> payloads)";

	private final boolean batch;

	HandlerSignature(boolean batch) {
		this.batch = batch;
	}

	/**
	 * Return whether one call receives a list of records.
	 * @return true for the lane-batch forms
	 */
	public boolean isBatch() {
		return this.batch;
	}

	/**
	 * Work out the signature of a method, or explain why it is not supported.
	 * @param method the annotated method
	 * @return the signature
	 * @throws KafkaWorkerConfigurationException if the method cannot be a worker
	 */
	public static HandlerSignature of(Method method) {
		String name = describe(method);
		if (!Modifier.isPublic(method.getModifiers())) {
			throw unsupported(name + " is not public", "Make the method public.");
		}
		if (Modifier.isStatic(method.getModifiers())) {
			throw unsupported(name + " is static", "Make the method an instance method of a Spring bean.");
		}
		if (method.getReturnType() != void.class) {
			throw unsupported(name + " returns " + method.getReturnType().getSimpleName(),
					"Declare the method void; its result would be ignored.");
		}
		if (hasTableRow(method)) {
			HandlerSignature signature = of(method, name);
			if (signature.isBatch()) {
				throw unsupported(name + " takes a list and a TableRow",
						"A TableRow is the row of one record's key: take one record (ConsumerRecord<K, V> or V) "
								+ "with it.");
			}
			return signature;
		}
		if (method.getParameterCount() != 1) {
			throw unsupported(name + " has " + method.getParameterCount() + " parameters",
					"Declare exactly one parameter: " + SUPPORTED + ", optionally followed by a TableRow<T> for "
							+ "the row of the record's key in the worker's group table.");
		}
		return of(method, name);
	}

	/**
	 * Return whether a method takes the row of its record's key in the worker's group
	 * table: a {@code TableRow<T>} as its second and last parameter.
	 * @param method the annotated method
	 * @return true if it does
	 */
	public static boolean hasTableRow(Method method) {
		return method.getParameterCount() == 2 && TableRow.class.equals(method.getParameterTypes()[1]);
	}

	/**
	 * Return the value type of a method's table row.
	 * @param method the annotated method, with {@link #hasTableRow a table row}
	 * @return the type of the row's values
	 * @throws KafkaWorkerConfigurationException if the row's type is not given
	 */
	public static Class<?> tableValueType(Method method) {
		Class<?> type = ResolvableType.forMethodParameter(new MethodParameter(method, 1)).getGeneric(0).resolve();
		if (type == null || Object.class.equals(type)) {
			throw unsupported(describe(method) + " takes a TableRow without a value type",
					"Declare the type of the table's values, for example TableRow<Long>.");
		}
		return type;
	}

	private static HandlerSignature of(Method method, String name) {
		Class<?> type = method.getParameterTypes()[0];
		if (ConsumerRecord.class.equals(type)) {
			return RECORD;
		}
		if (List.class.equals(type)) {
			Class<?> element = elementType(method).toClass();
			if (isUnsupportedPayload(element)) {
				throw unsupported(name + " takes a List of " + element.getSimpleName(),
						"Declare exactly one parameter: " + SUPPORTED + ".");
			}
			return ConsumerRecord.class.equals(element) ? RECORD_LIST : PAYLOAD_LIST;
		}
		if (isUnsupportedPayload(type) || java.util.Collection.class.isAssignableFrom(type)) {
			throw unsupported(name + " takes a " + type.getSimpleName(),
					"Declare exactly one parameter: " + SUPPORTED + ".");
		}
		return PAYLOAD;
	}

	/**
	 * Return the declared type of one payload: the parameter type, or the list's element
	 * type for the list forms.
	 * @param method the annotated method
	 * @return the payload type
	 */
	public static ResolvableType payloadType(Method method) {
		MethodParameter parameter = new MethodParameter(method, 0);
		ResolvableType type = ResolvableType.forMethodParameter(parameter);
		return List.class.equals(method.getParameterTypes()[0]) ? elementType(method) : type;
	}

	/**
	 * Describe a method the way error messages name it.
	 * @param method the method
	 * @return for example {@code OrderHandler.handle(ConsumerRecord)}
	 */
	public static String describe(Method method) {
		StringBuilder description = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return description.append(')').toString();
	}

	private static ResolvableType elementType(Method method) {
		return ResolvableType.forMethodParameter(new MethodParameter(method, 0)).asCollection().getGeneric(0);
	}

	private static boolean isUnsupportedPayload(Class<?> type) {
		return ConsumerRecords.class.isAssignableFrom(type) || Consumer.class.isAssignableFrom(type)
				|| Acknowledgment.class.isAssignableFrom(type) || Message.class.isAssignableFrom(type);
	}

	private static KafkaWorkerConfigurationException unsupported(String problem, String action) {
		return new KafkaWorkerConfigurationException("@KafkaBatchWorker method " + problem + ".", action);
	}

}
