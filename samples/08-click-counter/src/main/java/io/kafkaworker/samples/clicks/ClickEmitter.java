package io.kafkaworker.samples.clicks;

import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * goka's emitter: produces {@code demo.seed} clicks at startup, by users {@code user-1}
 * to {@code user-<demo.clicks.users>} on random pages, then one click every
 * {@code demo.clicks.every} until the application stops, so that the counts keep moving.
 */
@Component
class ClickEmitter implements ApplicationRunner, DisposableBean {

	private static final Log logger = LogFactory.getLog(ClickEmitter.class);

	private static final List<String> PAGES = List.of("/home", "/search", "/product", "/cart", "/checkout");

	private final DemoSeeder seeder;

	private final KafkaTemplate<String, String> kafkaTemplate;

	private final DemoWorkload workload;

	private final ClickDemoProperties demo;

	private final Environment environment;

	// Used by the runner, then by the scheduler's one thread alone.
	private final Random random = new Random();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "click-emitter");
		thread.setDaemon(true);
		return thread;
	});

	ClickEmitter(DemoSeeder seeder, KafkaTemplate<String, String> kafkaTemplate, DemoWorkload workload,
			ClickDemoProperties demo, Environment environment) {
		this.seeder = seeder;
		this.kafkaTemplate = kafkaTemplate;
		this.workload = workload;
		this.demo = demo;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.workload.seed() > 0) {
			this.seeder.seed(ClickCounterApplication.TOPIC, this.workload.seed(), (i) -> click());
		}
		long everyMs = this.demo.every().toMillis();
		if (everyMs > 0) {
			this.scheduler.scheduleWithFixedDelay(() -> this.kafkaTemplate.send(click()), everyMs, everyMs,
					TimeUnit.MILLISECONDS);
		}
		String base = "localhost:" + this.environment.getProperty("local.server.port", "8080");
		logger.info(String.format(
				"Clicks of %d users go to topic '%s'%s. Where to look: curl %s/users/user-1/clicks "
						+ "(one user's row of table '%s', from the view 'clicks'), curl %s/users (every user)",
				this.demo.users(), ClickCounterApplication.TOPIC,
				(everyMs > 0) ? ", one more every " + everyMs + " ms" : "", base, ClickCounter.TABLE, base));
	}

	private ProducerRecord<String, String> click() {
		String user = "user-" + (1 + this.random.nextInt(this.demo.users()));
		return new ProducerRecord<>(ClickCounterApplication.TOPIC, user, PAGES.get(this.random.nextInt(PAGES.size())));
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
