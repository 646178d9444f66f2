package io.kafkaworker.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's test examples are tests of this module: each code block after an
 * {@code <!-- example: path -->} comment must appear, line for line, in that file.
 */
class ReadmeExamplesTests {

	private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\S+) -->\\n```java\\n(.*?)\\n```",
			Pattern.DOTALL);

	@Test
	void everyExampleOfTheReadmeIsInItsTestFile() throws IOException {
		Path root = Path.of("..").toAbsolutePath().normalize();
		String readme = Files.readString(root.resolve("README.md"));
		Matcher matcher = EXAMPLE.matcher(readme);
		List<String> files = new ArrayList<>();
		while (matcher.find()) {
			Path file = root.resolve(matcher.group(1));
			assertThat(file).as("the file of a README example").exists();
			List<String> source = lines(Files.readString(file));
			List<String> example = lines(matcher.group(2));
			assertThat(String.join("\n", source)).as("README example of %s", file).contains(String.join("\n", example));
			files.add(matcher.group(1));
		}
		assertThat(files).as("README examples").hasSizeGreaterThanOrEqualTo(3);
	}

	private static List<String> lines(String text) {
		return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

}
