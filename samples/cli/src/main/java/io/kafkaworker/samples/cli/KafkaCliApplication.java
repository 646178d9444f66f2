package io.kafkaworker.samples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;

/**
 * kafka-cli: a Spring Boot application that runs one command and exits with its code.
 * Boot configures the Kafka clients from {@code spring.kafka.*} (the options of
 * {@link ConnectionOptions} included), and {@link CliRunner} runs the command with
 * picocli.
 * <p>
 * No component scan: the application's beans are listed, so that nothing else in this
 * package (a test's application, say) becomes part of the tool.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ CliRunner.class, KafkaClients.class, ActuatorClient.class })
public class KafkaCliApplication {

	/**
	 * Run a command and exit the JVM with its exit code.
	 * @param args the command line, for example {@code topics list}
	 */
	public static void main(String[] args) {
		PrintWriter out = new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true);
		PrintWriter err = new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true);
		System.exit(run(new CliConsole(System.in, out, err), args));
	}

	/**
	 * Run a command in an application context of its own, closed before this returns.
	 * @param console where the command reads and writes
	 * @param args the command line
	 * @return the exit code: 0 done, 1 usage error, 2 failure
	 */
	public static int run(CliConsole console, String... args) {
		ConnectionOptions options = ConnectionOptions.parse(args);
		SpringApplication application = new SpringApplication(KafkaCliApplication.class);
		application.addInitializers((context) -> {
			GenericApplicationContext beans = (GenericApplicationContext) context;
			beans.registerBean(CliConsole.class, () -> console);
			beans.registerBean(ConnectionOptions.class, () -> options);
		});
		ConfigurableApplicationContext context;
		try {
			context = application.run(options.springArguments(args).toArray(new String[0]));
		}
		catch (RuntimeException ex) {
			// A spring.kafka.* value Boot cannot bind, for example: Boot has logged why.
			console.err().println("kafka-cli: cannot start: " + ex.getMessage());
			return CliException.EXIT_CODE;
		}
		return SpringApplication.exit(context);
	}

}
