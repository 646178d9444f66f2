package io.kafkaworker.autoconfigure;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a cluster offers KIP-848, when no broker answers: the worker must fall back to
 * the classic protocol quickly (a broker that offers it is asked in
 * {@code RebalanceIntegrationTests}, whose default case asserts the group's type).
 */
class ConsumerProtocolSupportTests {

	@Test
	void aClusterThatNobodyListensOnDoesNotOfferItAndIsNotWaitedFor() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		ConsumerProtocolSupport support = new ConsumerProtocolSupport();
		long started = System.nanoTime();
		assertThat(support.offeredBy(Map.of("bootstrap.servers", List.of("localhost:" + port, "127.0.0.1:" + port),
				"key.deserializer", "ignored, not an admin setting")))
			.isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void aBootstrapAddressThatCannotBeParsedDoesNotOfferIt() {
		assertThat(new ConsumerProtocolSupport().offeredBy(Map.of("bootstrap.servers", "not an address"))).isFalse();
	}

}
