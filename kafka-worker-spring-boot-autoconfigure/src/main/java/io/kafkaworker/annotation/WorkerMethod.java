package io.kafkaworker.annotation;

import java.lang.reflect.Method;

import org.springframework.core.ResolvableType;

/**
 * A {@link KafkaBatchWorker} method found on a bean, with its signature checked.
 *
 * @param beanName the bean's name
 * @param bean the bean, possibly a proxy
 * @param method the method to invoke on {@code bean} (the proxy's method for JDK proxies)
 * @param annotation the annotation as declared
 * @param signature the method's shape
 * @param payloadType the declared type of one payload
 * @param description the method as error messages name it
 */
public record WorkerMethod(String beanName, Object bean, Method method, KafkaBatchWorker annotation,
		HandlerSignature signature, ResolvableType payloadType, String description) {

	/**
	 * Return whether the method takes the row of its record's key in the worker's group
	 * table.
	 * @return true if its second parameter is a {@code TableRow}
	 */
	public boolean hasTableRow() {
		return HandlerSignature.hasTableRow(this.method);
	}

	/**
	 * Return the id the worker gets when the annotation does not name one: the bean name
	 * and the method name in kebab case, for example {@code order-handler-handle}.
	 * @return the default id
	 */
	public String defaultId() {
		return kebab(this.beanName) + "-" + kebab(this.method.getName());
	}

	private static String kebab(String name) {
		StringBuilder result = new StringBuilder(name.length() + 8);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				if (result.length() > 0 && result.charAt(result.length() - 1) != '-') {
					result.append('-');
				}
				result.append(Character.toLowerCase(c));
			}
			else if (Character.isLetterOrDigit(c)) {
				result.append(c);
			}
			else if (result.length() > 0 && result.charAt(result.length() - 1) != '-') {
				result.append('-');
			}
		}
		return result.toString();
	}

}
