package io.kafkaworker.samples.support;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo workload of a sample, under {@code demo.*}; for example
 * {@code --demo.seed=20000 --demo.work-ms=5}.
 *
 * @param seed records the sample produces at startup, 0 for none
 * @param workMs milliseconds of simulated I/O per handler call
 */
@ConfigurationProperties("demo")
public record DemoWorkload(@DefaultValue("2000") int seed, @DefaultValue("2") long workMs) {

	/**
	 * Check the settings.
	 */
	public DemoWorkload {
		if (seed < 0 || workMs < 0) {
			throw new IllegalArgumentException(
					"demo.seed and demo.work-ms cannot be negative, but got seed=" + seed + ", work-ms=" + workMs);
		}
	}

}
