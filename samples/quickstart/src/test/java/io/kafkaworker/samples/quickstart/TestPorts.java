package io.kafkaworker.samples.quickstart;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free ports on localhost for tests, so they do not collide with a broker on 9092.
 */
final class TestPorts {

	private TestPorts() {
	}

	/**
	 * Find a free port whose next port is free too, for an in-process broker and its
	 * controller.
	 * @return the first port of the pair
	 */
	static int findFreePortPair() {
		for (int attempt = 0; attempt < 50; attempt++) {
			int port = findFreePort();
			if (port < 65535 && isFree(port + 1)) {
				return port;
			}
		}
		throw new IllegalStateException("Found no two consecutive free ports");
	}

	/**
	 * Return whether a port on localhost can be bound now.
	 * @param port the port
	 * @return whether it is free
	 */
	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Find a free port.
	 * @return a port that nothing listened on a moment ago
	 */
	static int findFreePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
