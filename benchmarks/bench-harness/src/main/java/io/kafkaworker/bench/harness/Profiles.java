package io.kafkaworker.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a flight recording's CPU samples ({@code jdk.ExecutionSample}) into the top
 * frames: where the CPU went (self), which methods of the engine and of its libraries
 * were on the stack (total), and which threads ran.
 */
final class Profiles {

	private static final int TOP = 30;

	private Profiles() {
	}

	static void summarise(Path recording, Path summary) throws IOException {
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> total = new HashMap<>();
		Map<String, Integer> threads = new HashMap<>();
		int samples = 0;
		// Read one event at a time: readAllEvents holds the whole recording in memory,
		// which ran the harness out of its heap on a 100 MB recording (P6, 3,000,000
		// records).
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				if ("jdk.ExecutionSample".equals(event.getEventType().getName())) {
					samples += count(event, self, total, threads);
				}
			}
		}
		StringBuilder text = new StringBuilder();
		text.append(String.format("%s: %,d CPU samples (jdk.ExecutionSample)%n%n", recording.getFileName(), samples));
		append(text, "Top frames, self (where the CPU was)", self, samples, (name) -> true);
		append(text, "Engine and Spring Kafka methods on the stack, total", total, samples,
				(name) -> name.startsWith("io.kafkaworker.") && !name.startsWith("io.kafkaworker.bench.")
						|| name.startsWith("org.springframework.kafka.") || name.startsWith("io.confluent."));
		append(text, "Kafka client methods on the stack, total", total, samples,
				(name) -> name.startsWith("org.apache.kafka."));
		append(text, "Threads (digits replaced by N)", threads, samples, (name) -> true);
		Files.createDirectories(summary.getParent());
		Files.writeString(summary, text, StandardCharsets.UTF_8);
	}

	// Count one CPU sample; returns 0 for a sample without a stack, 1 otherwise.
	private static int count(RecordedEvent event, Map<String, Integer> self, Map<String, Integer> total,
			Map<String, Integer> threads) {
		RecordedStackTrace stack = event.getStackTrace();
		if (stack == null || stack.getFrames().isEmpty()) {
			return 0;
		}
		List<RecordedFrame> frames = stack.getFrames();
		self.merge(name(frames.get(0)), 1, Integer::sum);
		Set<String> seen = new HashSet<>();
		for (RecordedFrame frame : frames) {
			String name = name(frame);
			if (seen.add(name)) {
				total.merge(name, 1, Integer::sum);
			}
		}
		RecordedThread thread = event.getThread("sampledThread");
		String threadName = (thread != null && thread.getJavaName() != null) ? thread.getJavaName() : "?";
		threads.merge(threadName.replaceAll("[0-9]+", "N"), 1, Integer::sum);
		return 1;
	}

	private static void append(StringBuilder text, String title, Map<String, Integer> counts, int samples,
			java.util.function.Predicate<String> filter) {
		text.append(title).append(System.lineSeparator());
		counts.entrySet()
			.stream()
			.filter((entry) -> filter.test(entry.getKey()))
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(TOP)
			.forEach((entry) -> text.append(String.format("  %5.1f%%  %6d  %s%n",
					(samples > 0) ? 100.0 * entry.getValue() / samples : 0, entry.getValue(), entry.getKey())));
		text.append(System.lineSeparator());
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

}
