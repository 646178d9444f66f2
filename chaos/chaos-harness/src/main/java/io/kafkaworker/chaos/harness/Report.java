package io.kafkaworker.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The results table: one column per run, one row per figure or check, printed and
 * written as markdown to {@code results.md}.
 */
final class Report {

	private Report() {
	}

	static String table(String header, List<RunResult> results, List<String> globalChecks) {
		List<String> lines = new ArrayList<>();
		lines.add(header);
		lines.add("");
		StringBuilder head = new StringBuilder("| |");
		StringBuilder rule = new StringBuilder("|---|");
		for (RunResult result : results) {
			head.append(" ").append(result.spec.name()).append(" |");
			rule.append("---:|");
		}
		lines.add(head.toString());
		lines.add(rule.toString());
		row(lines, results, "guarantee", (result) -> result.spec.label());
		row(lines, results, "on failure", (result) -> result.spec.onFailure());
		row(lines, results, "seconds", (result) -> Long.toString(result.seconds));
		for (Fault fault : Fault.values()) {
			if (fault.counted()) {
				row(lines, results, "fault: " + fault.name().toLowerCase().replace('_', ' '),
						(result) -> Integer.toString(result.faults.getOrDefault(fault, 0)));
			}
		}
		row(lines, results, "worker incarnations", (result) -> Integer.toString(result.incarnations));
		row(lines, results, "records produced", (result) -> String.format("%,d", result.produced));
		row(lines, results, "records handled", (result) -> String.format("%,d", result.handled));
		row(lines, results, "handlings (effects)", (result) -> String.format("%,d", result.handlings));
		row(lines, results, "dead-lettered", (result) -> Long.toString(result.deadLettered));
		row(lines, results, "operator skips", (result) -> Long.toString(result.operatorSkips));
		row(lines, results, "**lost**", (result) -> Long.toString(result.lost));
		row(lines, results, "**out of order**", (result) -> result.spec.ordered() ? Long.toString(result.outOfOrder) : "n/a");
		row(lines, results, "duplicates", (result) -> String.format("%,d", result.duplicateTotal()));
		for (Cause cause : Cause.values()) {
			row(lines, results, "- after " + cause.label(), (result) -> String.format("%,d", result.duplicates.get(cause)));
		}
		row(lines, results, "- kill -9: oldest handled before the kill",
				(result) -> (result.oldestKillDuplicateMillis < 0) ? "-"
						: String.format("%,d ms", result.oldestKillDuplicateMillis));
		row(lines, results, "end-of-run lag", (result) -> Long.toString(result.endLag));
		row(lines, results, "unexpected exits / stalls",
				(result) -> result.unexpectedExits + " / " + result.stalls);
		List<String> checks = new ArrayList<>();
		results.forEach((result) -> result.checks.keySet().stream().filter((name) -> !checks.contains(name)).forEach(checks::add));
		for (String check : checks) {
			row(lines, results, "check: " + check, (result) -> {
				Boolean passed = result.checks.get(check);
				return (passed == null) ? "n/a" : (passed ? "PASS" : "**FAIL**");
			});
		}
		row(lines, results, "**run**", (result) -> result.passed() ? "**PASS**" : "**FAIL**");
		lines.add("");
		lines.addAll(globalChecks);
		for (RunResult result : results) {
			result.examples.forEach((check, text) -> lines.add("- " + result.spec.name() + ", " + check + ": " + text));
		}
		return String.join(System.lineSeparator(), lines) + System.lineSeparator();
	}

	static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private static void row(List<String> lines, List<RunResult> results, String name,
			Function<RunResult, String> cell) {
		StringBuilder line = new StringBuilder("| ").append(name).append(" |");
		for (RunResult result : results) {
			line.append(" ").append(cell.apply(result)).append(" |");
		}
		lines.add(line.toString());
	}

}
