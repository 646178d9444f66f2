package io.kafkaworker.samples.quickstart;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard of {@code samples/observability} against a real scrape of the
 * quickstart: every metric its queries name is one the application exports, every
 * {@code kafka.worker.*} meter has a panel, and every panel queries the Prometheus data
 * source that Grafana's provisioning declares.
 */
class DashboardQueriesTests {

	private static final Path OBSERVABILITY = Path.of("..", "observability");

	private static final Path DASHBOARD = OBSERVABILITY.resolve("dashboards/kafka-worker.json");

	private static final Path DATASOURCES = OBSERVABILITY.resolve("grafana/provisioning/datasources/datasources.yml");

	// PromQL words that are followed by something other than "(" and are not metrics.
	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,]+?)\\s*,\\s*\\w+\\s*\\)");

	private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (kafka_worker_\\w+) (\\w+)");

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Test
	void everyMetricTheDashboardQueriesIsExportedByTheQuickstart() {
		Set<String> queried = queriedMetrics(dashboard());
		// With one record that always fails, its partition freezes: every kafka.worker
		// meter then has a series (failure counts, frozen partitions, lag per partition),
		// the commit meters once the first commit interval passed.
		try (RunningQuickstart quickstart = RunningQuickstart.start("--demo.seed=300", "--demo.keys=10",
				"--demo.fail=key-7")) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> quickstart.worker().get("frozenRecords").size() == 1
						&& scrape(quickstart).contains("outcome=\"failure\"")
						&& scrape(quickstart).contains("kafka_worker_commits_total"));
			String scrape = scrape(quickstart);
			Set<String> exported = sampleNames(scrape);
			Set<String> missing = new TreeSet<>(queried);
			missing.removeAll(exported);
			assertThat(missing).as("metrics the dashboard queries but the quickstart does not export").isEmpty();
			assertThat(unqueriedFamilies(scrape, queried)).as("kafka_worker meters without a panel").isEmpty();
		}
	}

	@Test
	void everyPanelQueriesTheProvisionedPrometheusDataSource() {
		JsonNode dashboard = dashboard();
		String prometheus = provisionedDataSourceUid("prometheus");
		assertThat(dashboard.get("uid").asString()).isNotBlank();
		assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
		List<JsonNode> panels = panels(dashboard);
		assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
		for (JsonNode panel : panels) {
			String title = panel.get("title").asString();
			assertThat(panel.path("datasource").path("uid").asString()).as("data source of '%s'", title)
				.isEqualTo(prometheus);
			assertThat(panel.path("targets").values()).as("queries of '%s'", title)
				.isNotEmpty()
				.allSatisfy((target) -> {
					assertThat(target.path("expr").asString()).as("a query of '%s'", title).isNotBlank();
					assertThat(target.path("datasource").path("uid").asString()).as("a query of '%s'", title)
						.isEqualTo(prometheus);
				});
		}
		JsonNode worker = variable(dashboard, "worker");
		assertThat(worker.path("datasource").path("uid").asString()).isEqualTo(prometheus);
		assertThat(worker.path("includeAll").asBoolean()).isTrue();
	}

	@Test
	void metricNamesAreFoundInQueries() {
		assertThat(metricNames("histogram_quantile(0.99, sum by (le) (rate(kafka_worker_record_duration_seconds_bucket"
				+ "{worker=~\"$worker\", outcome=~\"a|b\"}[$__rate_interval])))"))
			.containsExactly("kafka_worker_record_duration_seconds_bucket");
		assertThat(metricNames(
				"sum(rate(a_sum{worker=~\"$worker\"}[1m])) by (worker) / on (worker) max(b_count) > bool 0"))
			.containsExactlyInAnyOrder("a_sum", "b_count");
		assertThat(metricNames("sum by (topic, partition) (kafka_worker_lagg)")).containsExactly("kafka_worker_lagg");
	}

	private JsonNode dashboard() {
		try {
			return this.jsonMapper.readTree(Files.readString(DASHBOARD));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			if ("row".equals(panel.path("type").asString())) {
				panel.path("panels").values().forEach(panels::add);
			}
			else {
				panels.add(panel);
			}
		}
		return panels;
	}

	private static JsonNode variable(JsonNode dashboard, String name) {
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if (name.equals(variable.path("name").asString())) {
				return variable;
			}
		}
		throw new AssertionError("No variable '" + name + "' in " + DASHBOARD);
	}

	private static Set<String> queriedMetrics(JsonNode dashboard) {
		Set<String> metrics = new TreeSet<>();
		for (JsonNode panel : panels(dashboard)) {
			for (JsonNode target : panel.path("targets")) {
				metrics.addAll(metricNames(target.path("expr").asString()));
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").path("query").asString());
			assertThat(labelValues.matches()).as("query of variable %s", variable.path("name")).isTrue();
			metrics.addAll(metricNames(labelValues.group(1)));
		}
		return metrics;
	}

	/**
	 * Return the metric names a PromQL expression selects: what remains once strings,
	 * label matchers, ranges and grouping clauses are removed, apart from functions and
	 * keywords.
	 * @param expression the expression
	 * @return the metric names
	 */
	static Set<String> metricNames(String expression) {
		String selectors = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
			.replaceAll("\\boffset\\s+\\S+", " ");
		Set<String> names = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(selectors);
		while (identifier.find()) {
			String name = identifier.group(1);
			boolean function = identifier.group(2) != null;
			if (!function && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
				names.add(name);
			}
		}
		return names;
	}

	private static String scrape(RunningQuickstart quickstart) {
		RunningQuickstart.Response response = quickstart.get("/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	private static Set<String> sampleNames(String scrape) {
		Set<String> names = new TreeSet<>();
		scrape.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.forEach(names::add);
		return names;
	}

	// The kafka_worker_* metric families (as "# TYPE" lines name them) of which the
	// dashboard queries no series; the _max gauges of timers and summaries aside.
	private static Set<String> unqueriedFamilies(String scrape, Set<String> queried) {
		Set<String> unqueried = new TreeSet<>();
		Matcher type = TYPE_LINE.matcher(scrape);
		while (type.find()) {
			String family = type.group(1);
			// kafka_worker_process_* are what Micrometer Observation derives from the
			// per-record span (whole handling time, records being handled, retries): the
			// dashboard shows the engine's own meters of the same things instead.
			if (family.endsWith("_max") || family.startsWith("kafka_worker_process_")) {
				continue;
			}
			boolean used = queried.stream()
				.anyMatch((name) -> name.equals(family)
						|| name.matches(Pattern.quote(family) + "_(total|sum|count|bucket)"));
			if (!used) {
				unqueried.add(family);
			}
		}
		return unqueried;
	}

	private static String provisionedDataSourceUid(String type) {
		try (Reader reader = Files.newBufferedReader(DATASOURCES)) {
			Map<String, Object> provisioning = new Yaml().load(reader);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> dataSources = (List<Map<String, Object>>) provisioning.get("datasources");
			return dataSources.stream()
				.filter((dataSource) -> type.equals(dataSource.get("type")))
				.map((dataSource) -> (String) dataSource.get("uid"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No " + type + " data source in " + DATASOURCES));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
