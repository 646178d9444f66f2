package io.kafkaworker.samples.support;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an {@link InProcessKafkaBroker} when the application is given no Kafka broker,
 * so that every sample runs with nothing installed. A sample gets it by depending on this
 * module: the listener is registered in its {@code META-INF/spring.factories}.
 *
 * <p>
 * The broker has to be running before any Kafka bean is created, and Spring Boot has to
 * see its address as an ordinary {@code spring.kafka.bootstrap-servers} property. A
 * {@link SpringApplicationRunListener} (registered in {@code META-INF/spring.factories})
 * can do both: it is called once the environment is ready, before the application context
 * exists. It then hands the broker to the context as a bean, so the broker is stopped
 * when the context closes, after the Kafka clients that use it.
 *
 * <p>
 * When {@code spring.kafka.bootstrap-servers} is set, or {@code demo.broker.enabled} is
 * false ({@link InProcessKafkaBrokerProperties}), it does nothing; nor does it during
 * ahead-of-time processing ({@code spring-boot:process-aot}), which prepares the
 * application context at build time without starting it.
 */
public class InProcessKafkaBrokerRunListener implements SpringApplicationRunListener {

	private static final Log logger = LogFactory.getLog(InProcessKafkaBrokerRunListener.class);

	private static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

	private static final String BEAN_NAME = "inProcessKafkaBroker";

	private @Nullable InProcessKafkaBroker broker;

	/**
	 * Create the listener, as Spring Boot does for every {@link SpringApplication} run.
	 * @param application the application being run
	 * @param args its command-line arguments
	 */
	public InProcessKafkaBrokerRunListener(SpringApplication application, String[] args) {
	}

	@Override
	public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
			ConfigurableEnvironment environment) {
		// The environment holds application.yml, command-line arguments, environment
		// variables and system properties by now. Binding (rather than reading one key)
		// also finds relaxed forms such as SPRING_KAFKA_BOOTSTRAP_SERVERS.
		Binder binder = Binder.get(environment);
		List<String> bootstrapServers = binder.bind(BOOTSTRAP_SERVERS, Bindable.listOf(String.class)).orElse(null);
		if (bootstrapServers != null) {
			logger.info("Using the Kafka broker at " + String.join(",", bootstrapServers) + " (" + BOOTSTRAP_SERVERS
					+ "); no in-process broker started");
			return;
		}
		InProcessKafkaBrokerProperties settings = binder.bindOrCreate(InProcessKafkaBrokerProperties.PREFIX,
				InProcessKafkaBrokerProperties.class);
		if (!settings.enabled() || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return;
		}
		InProcessKafkaBroker started = InProcessKafkaBroker.start(settings.port());
		this.broker = started;
		environment.getPropertySources()
			.addLast(new MapPropertySource("inProcessKafkaBroker",
					Map.of(BOOTSTRAP_SERVERS, started.bootstrapServers())));
	}

	@Override
	public void contextPrepared(ConfigurableApplicationContext context) {
		InProcessKafkaBroker started = this.broker;
		if (started == null) {
			return;
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (!(beanFactory instanceof DefaultListableBeanFactory registry)) {
			started.close();
			throw new IllegalStateException("Cannot register the in-process Kafka broker with a "
					+ beanFactory.getClass().getName() + "; expected a DefaultListableBeanFactory");
		}
		// A disposable singleton from now on, before any bean is created: singletons are
		// destroyed in reverse order, so the broker closes last, after the listener
		// containers have committed their offsets and the producers have been closed. A
		// bean definition would not do: with ahead-of-time processing, the application's
		// definitions are registered before this listener runs, so its bean would be
		// created last and closed first.
		registry.registerSingleton(BEAN_NAME, started);
		registry.registerDisposableBean(BEAN_NAME, started::close);
	}

	@Override
	public void failed(@Nullable ConfigurableApplicationContext context, Throwable exception) {
		// Startup failed: do not leave the broker's threads keeping the JVM alive.
		InProcessKafkaBroker started = this.broker;
		if (started != null) {
			started.close();
		}
	}

}
