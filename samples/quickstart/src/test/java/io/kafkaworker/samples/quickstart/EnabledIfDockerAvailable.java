package io.kafkaworker.samples.quickstart;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips the annotated test class where Testcontainers finds no Docker engine, with a
 * reason that says so (in the test report and the IDE) rather than failing the build.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(EnabledIfDockerAvailable.DockerAvailableCondition.class)
@interface EnabledIfDockerAvailable {

	/**
	 * The condition behind {@link EnabledIfDockerAvailable}.
	 */
	class DockerAvailableCondition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			if (DockerClientFactory.instance().isDockerAvailable()) {
				return ConditionEvaluationResult.enabled("Docker is available");
			}
			return ConditionEvaluationResult.disabled("Docker is not available: " + diagnosis() + ". "
					+ context.getDisplayName() + " needs a Docker engine to run Kafka in a container; the "
					+ "quickstart's in-process tests cover the same checks without one.");
		}

		private static String diagnosis() {
			String dockerHost = System.getenv("DOCKER_HOST");
			if (dockerHost != null && !dockerHost.isBlank()) {
				return "Testcontainers could not use DOCKER_HOST=" + dockerHost;
			}
			Path socket = Path.of("/var/run/docker.sock");
			return Files.exists(socket) ? "Testcontainers could not use " + socket
					: "DOCKER_HOST is not set and " + socket + " does not exist";
		}

	}

}
