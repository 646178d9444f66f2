package io.kafkaworker.container;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConsumerRequests}: a request either runs on the consumer thread or is
 * ended with the session, never left waiting.
 */
class ConsumerRequestsTests {

	private final List<String> log = new ArrayList<>();

	private final ConsumerRequests requests = new ConsumerRequests();

	@Test
	void queuedRequestsRunInOrderOnce() {
		this.requests.submit(request("a"));
		this.requests.submit(request("b"));
		this.requests.runQueued();
		this.requests.runQueued();
		assertThat(this.log).containsExactly("ran a", "ran b");
	}

	@Test
	void endingTheSessionEndsTheRequestsStillQueued() {
		this.requests.submit(request("a"));
		this.requests.submit(request("b"));
		this.requests.end();
		this.requests.runQueued();
		assertThat(this.log).containsExactly("ended a", "ended b");
	}

	@Test
	void aRequestSubmittedAfterTheEndEndsAtOnce() {
		this.requests.end();
		this.requests.submit(request("late"));
		assertThat(this.log).containsExactly("ended late");
	}

	@Test
	void aRequestThatRanIsNotEndedAgain() {
		this.requests.submit(request("a"));
		this.requests.runQueued();
		this.requests.end();
		assertThat(this.log).containsExactly("ran a");
	}

	private ConsumerRequests.Request request(String name) {
		return new ConsumerRequests.Request() {

			@Override
			public void run() {
				ConsumerRequestsTests.this.log.add("ran " + name);
			}

			@Override
			public void sessionEnded() {
				ConsumerRequestsTests.this.log.add("ended " + name);
			}

		};
	}

}
