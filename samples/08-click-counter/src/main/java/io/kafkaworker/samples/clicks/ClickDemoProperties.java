package io.kafkaworker.samples.clicks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo clicks, under {@code demo.clicks.*} (their number at startup is
 * {@code demo.seed}); for example {@code --demo.clicks.users=100 --demo.clicks.every=0}.
 *
 * @param users the users who click: {@code user-1} to {@code user-<users>}
 * @param every the time between two clicks once the seed is produced; 0 for none
 */
@ConfigurationProperties("demo.clicks")
public record ClickDemoProperties(@DefaultValue("10") int users, @DefaultValue("500ms") Duration every) {

	/**
	 * Check the settings.
	 */
	public ClickDemoProperties {
		if (users < 1 || every.isNegative()) {
			throw new IllegalArgumentException("demo.clicks.users must be positive and demo.clicks.every cannot be "
					+ "negative, but got users=" + users + ", every=" + every);
		}
	}

}
