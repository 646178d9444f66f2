package io.kafkaworker.samples.quickstart;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The README's Spring Security configuration for the {@code kafkaworkers} endpoint
 * ({@link ActuatorSecurity#actuatorSecurity}), checked over real HTTP on the running
 * quickstart, whose worker consumes from its in-process broker: anyone reads the workers
 * and the health probes; acting on a worker takes a user with the {@code OPERATOR} role,
 * with HTTP Basic and no CSRF token (401 without credentials, 403 without the role); the
 * other actuator endpoints take a login.
 *
 * <p>
 * Spring Security is a test dependency of this module, left out of every other test by
 * the test resources' {@code config/application.yml}. This test starts the quickstart
 * with its own {@code application.yml} only, as {@code spring-boot:run} does (which
 * exposes the endpoint and allows its writes, as the README shows), so that Spring Boot's
 * security auto-configuration applies, and adds {@link ActuatorSecurity}.
 */
class SecuredKafkaWorkersEndpointTests {

	private static final int RECORDS = 100;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final List<String> ACTIONS = List.of("pause", "resume", "resume-frozen", "skip-frozen", "seek");

	private static final Consumer<HttpHeaders> ANONYMOUS = (headers) -> {
	};

	private static RunningQuickstart quickstart;

	private static ProgressReporter progress;

	private static RestTestClient http;

	@BeforeAll
	static void start() {
		quickstart = RunningQuickstart.start("--spring.config.location=classpath:/application.yml",
				"--spring.main.sources=" + ActuatorSecurity.class.getName(), "--demo.seed=" + RECORDS,
				"--demo.keys=10");
		progress = quickstart.context().getBean(ProgressReporter.class);
		http = RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://localhost:" + quickstart.context().getEnvironment().getProperty("local.server.port"))
			.build();
		// The worker runs: it processes the seeded records from the broker.
		await().atMost(TIMEOUT).until(() -> progress.processed() >= RECORDS);
	}

	@AfterAll
	static void stop() {
		if (quickstart != null) {
			quickstart.close();
		}
	}

	@Test
	void anyoneReadsTheWorkersAndTheHealthProbes() {
		http.get()
			.uri("/actuator/kafkaworkers")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.workers[0].id")
			.isEqualTo(RunningQuickstart.WORKER);
		assertState("RUNNING");
		for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			http.get().uri(probe).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		}
	}

	@Test
	void theOtherActuatorEndpointsTakeALogin() {
		for (String path : List.of("/actuator", "/actuator/prometheus")) {
			http.get().uri(path).exchange().expectStatus().isUnauthorized();
			http.get().uri(path).headers(Login.VIEWER::authenticate).exchange().expectStatus().isOk();
		}
	}

	@Test
	void writeOperationsWithoutCredentialsAreRefusedWith401() {
		for (String action : ACTIONS) {
			post(action, ANONYMOUS).expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueMatches("WWW-Authenticate", "Basic .*");
		}
		post("pause", (headers) -> headers.setBasicAuth(Login.OPERATOR.username(), "wrong")).expectStatus()
			.isUnauthorized();
		assertState("RUNNING");
	}

	@Test
	void writeOperationsOfAUserWithoutTheOperatorRoleAreRefusedWith403() {
		for (String action : ACTIONS) {
			post(action, Login.VIEWER::authenticate).expectStatus().isForbidden();
		}
		assertState("RUNNING");
	}

	@Test
	void anOperatorPausesAndResumesTheWorkerWithoutACsrfToken() {
		post("pause", Login.OPERATOR::authenticate).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("Worker paused");
		assertState("PAUSED");
		post("resume", Login.OPERATOR::authenticate).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("Worker resumed");
		assertState("RUNNING");
		// Resumed for real: a new record is processed.
		long processed = progress.processed();
		quickstart.produce(null, "key-0", "after-resume");
		await().atMost(TIMEOUT).until(() -> progress.processed() > processed);
	}

	private static RestTestClient.ResponseSpec post(String action, Consumer<HttpHeaders> credentials) {
		return http.post()
			.uri("/actuator/kafkaworkers/{id}/{action}", RunningQuickstart.WORKER, action)
			.headers(credentials)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange();
	}

	private static void assertState(String state) {
		http.get()
			.uri("/actuator/kafkaworkers/{id}", RunningQuickstart.WORKER)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo(state);
	}

	/**
	 * A user of {@link ActuatorSecurity#users()}.
	 *
	 * @param username the user name
	 * @param password the password
	 * @param role the user's only role
	 */
	record Login(String username, String password, String role) {

		static final Login OPERATOR = new Login("operator", "operator-password", "OPERATOR");

		static final Login VIEWER = new Login("viewer", "viewer-password", "VIEWER");

		void authenticate(HttpHeaders headers) {
			headers.setBasicAuth(this.username, this.password);
		}

	}

	/**
	 * The security configuration of the README, and two users. Not a
	 * {@code @Configuration}, which component scanning would find in the module's other
	 * tests too: this test adds it as a source of the application.
	 */
	static class ActuatorSecurity {

		// The README shows this method as it is: change both together.
		@Bean
		SecurityFilterChain actuatorSecurity(HttpSecurity http) {
			http.securityMatcher(EndpointRequest.toAnyEndpoint())
				.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
					.permitAll()
					.requestMatchers(EndpointRequest.to("kafkaworkers").withHttpMethod(HttpMethod.GET))
					.permitAll()
					.requestMatchers(EndpointRequest.to("kafkaworkers"))
					.hasRole("OPERATOR")
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				// Called by operators' scripts and curl, not by browsers: no CSRF token.
				.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()));
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(Stream.of(Login.OPERATOR, Login.VIEWER)
				.map((login) -> User.withUsername(login.username())
					.password("{noop}" + login.password())
					.roles(login.role())
					.build())
				.toList());
		}

	}

}
