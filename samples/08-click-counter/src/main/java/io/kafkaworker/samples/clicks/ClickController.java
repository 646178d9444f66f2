package io.kafkaworker.samples.clicks;

import java.util.Map;
import java.util.TreeMap;

import io.kafkaworker.state.TableView;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the click counts from the view of the worker's table (goka's view served over
 * HTTP): any instance of the application answers for every user, whichever instance
 * counts that user's clicks. The view is the bean {@code clicks}, configured by
 * {@code kafka.worker.views.clicks.*} in {@code application.yml}.
 */
@RestController
public class ClickController {

	private final TableView<String, ClickCount> clicks;

	ClickController(TableView<String, ClickCount> clicks) {
		this.clicks = clicks;
	}

	/**
	 * Return a user's clicks.
	 * @param id the user id
	 * @return the user's row; 404 for a user who never clicked; 503 while the view is
	 * still reading the table up to where it stood when the application started
	 */
	@GetMapping("/users/{id}/clicks")
	public ResponseEntity<ClickCount> clicks(@PathVariable String id) {
		if (!this.clicks.recovered()) {
			return recovering();
		}
		ClickCount count = this.clicks.get(id);
		return (count != null) ? ResponseEntity.ok(count) : ResponseEntity.notFound().build();
	}

	/**
	 * Return every user's clicks.
	 * @return the rows by user id, in user id order; 503 while the view is still
	 * recovering
	 */
	@GetMapping("/users")
	public ResponseEntity<Map<String, ClickCount>> users() {
		if (!this.clicks.recovered()) {
			return recovering();
		}
		Map<String, ClickCount> users = new TreeMap<>();
		this.clicks.forEach(users::put);
		return ResponseEntity.ok(users);
	}

	private static <T> ResponseEntity<T> recovering() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").build();
	}

}
