package io.kafkaworker.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring Boot command-line properties of a test application: a test's defaults, and the
 * arguments one test adds or replaces.
 */
public final class CommandLineArguments {

	private CommandLineArguments() {
	}

	/**
	 * Return the defaults with the extra arguments applied: an extra argument replaces
	 * the default of the same name (Spring Boot would join two values of one property
	 * with a comma) and is added otherwise.
	 * @param defaults {@code --name=value} arguments
	 * @param extra {@code --name=value} arguments that win
	 * @return the arguments, in the order of their first appearance
	 */
	public static String[] merge(List<String> defaults, String... extra) {
		List<String> arguments = new ArrayList<>(defaults);
		arguments.addAll(List.of(extra));
		Map<String, String> merged = new LinkedHashMap<>();
		for (String argument : arguments) {
			merged.put(argument.substring(0, argument.indexOf('=')), argument);
		}
		return merged.values().toArray(String[]::new);
	}

}
