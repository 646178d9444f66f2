package io.kafkaworker.chaos.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application under test: one {@link ChaosHandler} worker, configured by the harness
 * on the command line ({@code --chaos.*}, {@code --kafka.worker.workers.chaos.*},
 * {@code --server.port}). The harness starts several of these JVMs in one group and
 * signals them by pid.
 */
@SpringBootApplication
public class ChaosWorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChaosWorkerApplication.class, args);
	}

}
