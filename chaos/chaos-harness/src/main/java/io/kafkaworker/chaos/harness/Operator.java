package io.kafkaworker.chaos.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness as an operator of a FREEZE run: every two seconds it reads each live
 * worker's {@code /actuator/kafkaworkers/chaos} and acts on the frozen records it shows,
 * as a person would: the first freeze of a record is resumed (a healing record then
 * succeeds), a record that freezes again is skipped. Skips are remembered: the verifier
 * counts them as accounted for.
 */
final class Operator implements Runnable {

	// Lazy up to the record's own "since": the failure message between them may hold
	// braces (H2's "Timeout trying to lock table {0}" did, and the freeze was missed).
	private static final Pattern FROZEN = Pattern.compile(
			"\\{\"scope\":\"(\\w+)\",\"topic\":\"([^\"]+)\",\"partition\":(\\d+),\"offset\":(\\d+),.*?\"since\":\"([^\"]+)\"",
			Pattern.DOTALL);

	private static final Pattern LISTED = Pattern.compile("\"partition\":(\\d+),\"offset\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Fleet fleet;

	private final FaultLog faults;

	private final Set<String> actedOn = new HashSet<>();

	private final Map<String, Integer> freezes = new ConcurrentHashMap<>();

	private final Set<String> skipped = ConcurrentHashMap.newKeySet();

	private volatile boolean stop;

	Operator(Fleet fleet, FaultLog faults) {
		this.fleet = fleet;
		this.faults = faults;
	}

	void stop() {
		this.stop = true;
	}

	/**
	 * Return the records the operator skipped.
	 * @return {@code partition@offset} of each
	 */
	Set<String> skipped() {
		return Set.copyOf(this.skipped);
	}

	@Override
	public void run() {
		while (!this.stop) {
			for (Fleet.Incarnation incarnation : this.fleet.live()) {
				try {
					visit(incarnation);
				}
				catch (Exception ex) {
					// Starting, stopped or frozen by SIGSTOP: the next round tries again.
				}
			}
			try {
				Thread.sleep(2000);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void visit(Fleet.Incarnation incarnation) throws Exception {
		String base = "http://127.0.0.1:" + incarnation.httpPort + "/actuator/kafkaworkers/chaos";
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(3)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher matcher = FROZEN.matcher(response.body());
		while (matcher.find()) {
			String record = matcher.group(3) + "@" + matcher.group(4);
			if (!this.actedOn.add(record + " " + matcher.group(5))) {
				continue;
			}
			int seen = this.freezes.merge(record, 1, Integer::sum);
			String action = (seen == 1) ? "resume-frozen" : "skip-frozen";
			String body = "{\"topic\":\"" + matcher.group(2) + "\",\"partition\":" + matcher.group(3) + "}";
			HttpResponse<String> answer = this.http.send(HttpRequest.newBuilder(URI.create(base + "/" + action))
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			// A partition freeze is resumed or skipped as a whole: the answer lists every
			// record it acted on (in KEY mode, a poison pill can freeze beside a failing record).
			Set<String> records = new HashSet<>();
			Matcher listed = LISTED.matcher(answer.body());
			while (listed.find()) {
				records.add(listed.group(1) + "@" + listed.group(2));
			}
			if (answer.statusCode() / 100 == 2 && seen > 1) {
				this.skipped.addAll(records);
			}
			this.faults.add((seen == 1) ? Fault.OPERATOR_RESUME : Fault.OPERATOR_SKIP, record, "on " + incarnation.id
					+ ": HTTP " + answer.statusCode() + ", records " + ((records.isEmpty()) ? answer.body() : records));
		}
	}

}
