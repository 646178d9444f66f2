package io.kafkaworker.samples.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.kafkaworker.inbox.InboxSchema;
import io.kafkaworker.runtime.WorkerSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quickstart as {@code ./mvnw package} builds it, {@code target/quickstart.jar}, run
 * the way users run it, {@code java -jar}: once as it is, once with the application
 * context that {@code spring-boot:process-aot} prepared at build time
 * ({@code -Dspring.aot.enabled=true}). Each run has to become ready, handle and commit
 * every seeded record, and stop cleanly on SIGTERM. No native image is built here; the
 * hints one would need are checked in the metadata the ahead-of-time processing wrote.
 */
class QuickstartJarIT {

	private static final int RECORDS = 300;

	private static final Path JAR = Path.of(System.getProperty("quickstart.jar", "target/quickstart.jar"));

	private static final String AOT_INITIALIZER = "BOOT-INF/classes/"
			+ "io/kafkaworker/samples/quickstart/QuickstartApplication__ApplicationContextInitializer.class";

	@Test
	void runsWithJavaJar() {
		String output = runAndStop("quickstart-jar", List.of());
		assertThat(output).contains("Starting QuickstartApplication").doesNotContain("AOT-processed");
	}

	@Test
	void runsWithTheAheadOfTimeProcessedApplicationContext() {
		assumeTrue(jarContains(AOT_INITIALIZER), "the jar was built with -Dspring-boot.aot.skip=true");
		String output = runAndStop("quickstart-jar-aot", List.of("-Dspring.aot.enabled=true"));
		assertThat(output).contains("Starting AOT-processed QuickstartApplication");
	}

	@Test
	void aheadOfTimeProcessingRecordsTheHintsOfANativeImage() {
		assumeTrue(jarContains(AOT_INITIALIZER), "the jar was built with -Dspring-boot.aot.skip=true");
		JsonNode metadata = reachabilityMetadata();
		// The worker method, which kafka-worker invokes reflectively.
		assertThat(reflectedMethods(metadata, OrderWorker.class.getName())).contains("process");
		// What the kafkaworkers endpoint writes as JSON.
		assertThat(reflectedMethods(metadata, WorkerSnapshot.class.getName())).contains("partitions", "frozenRecords");
		assertThat(resourceGlobs(metadata)).contains(InboxSchema.LOCATION);
	}

	private static String runAndStop(String name, List<String> jvmArguments) {
		try (PackagedQuickstart quickstart = PackagedQuickstart.start(JAR, name, jvmArguments,
				List.of("--demo.seed=" + RECORDS, "--demo.keys=30", "--demo.work-ms=1"))) {
			quickstart.awaitJson("/actuator/health/readiness",
					(health) -> "UP".equals(health.path("status").asString()), Duration.ofSeconds(90));
			JsonNode worker = quickstart.awaitJson("/actuator/kafkaworkers/" + RunningQuickstart.WORKER,
					(json) -> committedRecords(json) == RECORDS, Duration.ofSeconds(30));
			assertThat(worker.path("state").asString()).isEqualTo("RUNNING");
			quickstart.stop(Duration.ofSeconds(40));
			String output = quickstart.output();
			String workerStopped = "Worker '" + RunningQuickstart.WORKER + "' shut down in";
			String brokerStopped = "Stopped the in-process Kafka broker";
			assertThat(output).contains(workerStopped).contains(brokerStopped).doesNotContain(" ERROR ");
			assertThat(output.indexOf(brokerStopped)).isGreaterThan(output.indexOf(workerStopped));
			return output;
		}
	}

	// Records committed across the worker's partitions: with a new group reading from
	// the beginning, the committed offsets add up to the records handled.
	private static long committedRecords(JsonNode worker) {
		long committed = 0;
		for (JsonNode partition : worker.path("partitions")) {
			committed += Math.max(0, partition.path("committedOffset").asLong());
		}
		return committed;
	}

	private static JsonNode reachabilityMetadata() {
		try (ZipFile jar = new ZipFile(JAR.toFile())) {
			ZipEntry entry = jar.stream()
				.filter((candidate) -> candidate.getName().startsWith("META-INF/native-image/")
						&& candidate.getName().endsWith("/reachability-metadata.json"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No reachability-metadata.json in " + JAR));
			try (InputStream content = jar.getInputStream(entry)) {
				return JsonMapper.builder().build().readTree(content);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<String> reflectedMethods(JsonNode metadata, String type) {
		Set<String> methods = new TreeSet<>();
		for (JsonNode hint : metadata.path("reflection")) {
			// A type is a name, or an object for proxies and lambdas.
			if (type.equals(text(hint.path("type")))) {
				hint.path("methods").forEach((method) -> methods.add(text(method.path("name"))));
			}
		}
		return methods;
	}

	private static Set<String> resourceGlobs(JsonNode metadata) {
		Set<String> globs = new TreeSet<>();
		metadata.path("resources").forEach((resource) -> globs.add(text(resource.path("glob"))));
		return globs;
	}

	private static String text(JsonNode node) {
		return node.isString() ? node.stringValue() : "";
	}

	private static boolean jarContains(String name) {
		try (ZipFile jar = new ZipFile(JAR.toFile())) {
			return jar.getEntry(name) != null;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + JAR + "; build it with ./mvnw package", ex);
		}
	}

}
