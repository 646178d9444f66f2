package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaBatchWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A real application with a bad worker fails to start with Spring Boot's failure report:
 * the failure analyzer is registered and names the method and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void applicationWithAnUnsupportedSignatureShouldReportTheMethodAndTheFix(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(BadApp.class).web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=localhost:1", "--kafka.worker.defaults.auto-startup=false"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("@KafkaBatchWorker method BadWorker.handle(String) returns String.")
			.contains("Declare the method void; its result would be ignored.");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BadApp {

		@Bean
		BadWorker badWorker() {
			return new BadWorker();
		}

	}

	public static class BadWorker {

		@KafkaBatchWorker(id = "bad", topics = "orders")
		public String handle(String payload) {
			return payload;
		}

	}

}
