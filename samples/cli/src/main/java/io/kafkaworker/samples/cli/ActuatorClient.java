package io.kafkaworker.samples.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and posts JSON to an application's actuator over HTTP, with the JDK's client: the
 * {@code kafkaworkers} endpoint's answers are read as trees, so that this tool does not
 * need the application's classes. Every failure is a {@link CliException} naming the URL.
 */
public class ActuatorClient {

	private final JsonMapper json;

	private final Duration timeout;

	private final HttpClient http;

	ActuatorClient(JsonMapper json, ConnectionOptions options) {
		this.json = json;
		this.timeout = options.timeout();
		this.http = HttpClient.newBuilder().connectTimeout(this.timeout).build();
	}

	/**
	 * Read a resource.
	 * @param url the resource
	 * @param notFound the message of the {@link CliException} for a 404
	 * @return the JSON answer
	 */
	public JsonNode get(String url, String notFound) {
		return send(request(url).GET().build(), notFound);
	}

	/**
	 * Post a JSON body, with {@code Content-Type: application/json} as actuator write
	 * operations require.
	 * @param url the operation
	 * @param body the body
	 * @param notFound the message of the {@link CliException} for a 404
	 * @return the JSON answer
	 */
	public JsonNode post(String url, Map<String, Object> body, String notFound) {
		HttpRequest request = request(url).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
		return send(request, notFound);
	}

	private HttpRequest.Builder request(String url) {
		try {
			return HttpRequest.newBuilder(URI.create(url)).timeout(this.timeout).header("Accept", "application/json");
		}
		catch (IllegalArgumentException ex) {
			throw new CliException("Invalid URL '" + url + "': " + ex.getMessage(), ex);
		}
	}

	private JsonNode send(HttpRequest request, String notFound) {
		String where = request.method() + " " + request.uri();
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new CliException("Could not reach the actuator (" + where + "): " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException("Interrupted during " + where, ex);
		}
		if (response.statusCode() == 404) {
			throw new CliException(notFound + " (" + where + " answered 404)");
		}
		JsonNode answer = parse(response.body(), where);
		if (response.statusCode() >= 400) {
			String message = answer.path("message").asString("");
			throw new CliException(where + " answered " + response.statusCode() + " "
					+ answer.path("error").asString("") + (message.isEmpty() ? "" : ": " + message));
		}
		return answer;
	}

	private JsonNode parse(String body, String where) {
		if (body.isBlank()) {
			return this.json.missingNode();
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new CliException(where + " did not answer JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
