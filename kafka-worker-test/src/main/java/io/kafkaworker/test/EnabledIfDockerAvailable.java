package io.kafkaworker.test;

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
 * reason that says why (in the test report and the IDE), rather than failing the build.
 * Put it before {@code @Testcontainers}, so that no container is started first.
 * Testcontainers' own {@code disabledWithoutDocker} skips too, but does not say why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(EnabledIfDockerAvailable.DockerAvailableCondition.class)
public @interface EnabledIfDockerAvailable {

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
					+ context.getDisplayName() + " needs a Docker engine to run its containers.");
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
