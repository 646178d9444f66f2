package io.kafkaworker.samples.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kafkaworker.test.EmbeddedKafkaWorkerTest;
import io.kafkaworker.test.KafkaWorkerTestSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-cli's Kafka commands against kafka-worker-test's broker, each run as
 * {@code java -jar} runs it: its own application context, its exit code and what it
 * printed. The test's own context only holds the broker.
 */
@SpringBootTest(classes = CliKafkaTests.BrokerOnly.class)
@EmbeddedKafkaWorkerTest(topics = { @EmbeddedKafkaWorkerTest.Topic(name = "cli.orders", partitions = 3),
		@EmbeddedKafkaWorkerTest.Topic(name = "cli.records"), @EmbeddedKafkaWorkerTest.Topic(name = "cli.lines"),
		@EmbeddedKafkaWorkerTest.Topic(name = "cli.times"),
		@EmbeddedKafkaWorkerTest.Topic(name = "cli.lag", partitions = 2) })
class CliKafkaTests {

	private Cli cli;

	private KafkaWorkerTestSupport kafka;

	@BeforeEach
	void cli(KafkaWorkerTestSupport kafka) {
		this.kafka = kafka;
		this.cli = new Cli(kafka.bootstrapServers());
	}

	@Test
	void helpOnEveryCommandExitsZero() {
		Cli.Result root = Cli.runAsIs("", "--help");
		assertThat(root.exitCode()).as(root.toString()).isZero();
		assertThat(root.out()).contains("Usage: kafka-cli", "topics", "groups", "consume", "produce", "workers",
				"Exit codes: 0 done, 1 usage error, 2 failure");
		for (String command : List.of("topics create", "topics describe", "groups describe", "consume", "produce",
				"workers skip")) {
			List<String> args = new ArrayList<>(List.of(command.split(" ")));
			args.add("--help");
			Cli.Result help = Cli.runAsIs("", args.toArray(String[]::new));
			assertThat(help.exitCode()).as(help.toString()).isZero();
			assertThat(help.out()).startsWith("Usage: kafka-cli " + command);
		}
	}

	@Test
	void aUsageErrorExitsOneWithOneLine() {
		Cli.Result unknownOption = this.cli.run("topics", "list", "--bogus");
		assertThat(unknownOption.exitCode()).as(unknownOption.toString()).isEqualTo(1);
		assertThat(unknownOption.err().lines()).singleElement()
			.asString()
			.contains("kafka-cli topics list: Unknown option: '--bogus'", "see 'kafka-cli topics list --help'");
		assertThat(unknownOption.out()).isEmpty();

		Cli.Result badFrom = this.cli.run("consume", "cli.orders", "--from", "yesterday");
		assertThat(badFrom.exitCode()).as(badFrom.toString()).isEqualTo(1);
		assertThat(badFrom.err().lines()).singleElement().asString().contains("'yesterday' is neither beginning");

		Cli.Result noCommand = this.cli.run("topics");
		assertThat(noCommand.exitCode()).as(noCommand.toString()).isEqualTo(1);
		assertThat(noCommand.err().lines()).singleElement().asString().contains("kafka-cli topics: Missing");
	}

	@Test
	void anUnreachableBrokerExitsTwoWithinTheTimeout() {
		long start = System.nanoTime();
		Cli.Result result = Cli.runAsIs("", "--bootstrap-servers", "localhost:1", "--timeout", "1s", "topics", "list");
		assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
		assertThat(result.err().lines()).singleElement()
			.isEqualTo("kafka-cli topics list: Could not list the topics: no answer from Kafka at localhost:1 "
					+ "within 1000 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
	}

	@Test
	void createsListsAndDescribesTopics() {
		Cli.Result created = this.cli.run("topics", "create", "cli.created", "--partitions", "4",
				"--replication-factor", "1", "--config", "cleanup.policy=compact");
		assertThat(created.exitCode()).as(created.toString()).isZero();
		assertThat(created.out()).isEqualTo("Created topic cli.created: 4 partitions, replication factor 1\n");

		Cli.Result again = this.cli.run("topics", "create", "cli.created");
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
		assertThat(again.err().lines()).singleElement()
			.asString()
			.startsWith("kafka-cli topics create: Could not create topic 'cli.created': ")
			.contains("already exists");

		Cli.Result list = this.cli.run("topics", "list");
		assertThat(list.exitCode()).as(list.toString()).isZero();
		assertThat(list.lines()).contains("cli.created", "cli.orders").isSorted().doesNotContain("__consumer_offsets");

		for (int i = 0; i < 5; i++) {
			this.kafka.send(new ProducerRecord<>("cli.orders", 1, "k" + i, "v" + i));
		}
		this.kafka.send(new ProducerRecord<>("cli.orders", 2, "k", "v"));
		Cli.Result describe = this.cli.run("topics", "describe", "cli.orders");
		assertThat(describe.exitCode()).as(describe.toString()).isZero();
		assertThat(describe.lines()).hasSize(5);
		assertThat(describe.lines().get(0))
			.isEqualTo("Topic: cli.orders  partitions: 3  replication factor: 1  messages: 6");
		assertThat(describe.lines().get(1).split("\\s+")).containsExactly("PARTITION", "LEADER", "REPLICAS", "ISR",
				"LOW", "HIGH", "MESSAGES");
		assertThat(describe.lines().get(2).split("\\s+")).containsExactly("0", "0", "0", "0", "0", "0", "0");
		assertThat(describe.lines().get(3).split("\\s+")).containsExactly("1", "0", "0", "0", "0", "5", "5");
		assertThat(describe.lines().get(4).split("\\s+")).containsExactly("2", "0", "0", "0", "0", "1", "1");
	}

	@Test
	void anUnknownTopicExitsTwoWithOneLine() {
		for (String[] args : List.of(new String[] { "topics", "describe", "cli.none" },
				new String[] { "consume", "cli.none" }, new String[] { "produce", "cli.none", "value" })) {
			Cli.Result result = this.cli.run(args);
			assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
			assertThat(result.err().lines()).as(result.toString()).singleElement().asString().contains("cli.none");
			assertThat(result.out()).isEmpty();
		}
	}

	@Test
	void producesThenConsumesWithKeysHeadersAndFormats() {
		Cli.Result first = this.cli.run("produce", "cli.records", "--key", "order-1", "--header", "source=cli",
				"--header", "trace=abc", "first");
		assertThat(first.exitCode()).as(first.toString()).isZero();
		assertThat(first.out()).matches("0@\\d+\n");
		long offset = Long.parseLong(first.out().trim().substring(2));
		Cli.Result second = this.cli.run("produce", "cli.records", "second");
		assertThat(second.out()).isEqualTo("0@" + (offset + 1) + "\n");

		Cli.Result consumed = this.cli.run("consume", "cli.records", "--from", String.valueOf(offset),
				"--print-headers");
		assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
		assertThat(consumed.lines()).hasSize(2);
		String[] line = consumed.lines().get(0).split("\t");
		assertThat(line).hasSize(6);
		assertThat(line[0]).isEqualTo("0");
		assertThat(line[1]).isEqualTo(String.valueOf(offset));
		assertThat(Instant.parse(line[2])).isBetween(Instant.now().minusSeconds(60), Instant.now());
		assertThat(line[3]).isEqualTo("order-1");
		assertThat(line[4]).isEqualTo("first");
		assertThat(line[5]).isEqualTo("source=cli,trace=abc");
		assertThat(consumed.lines().get(1).split("\t", -1)).endsWith("(null)", "second", "");

		Cli.Result hex = this.cli.run("consume", "cli.records", "--from", String.valueOf(offset), "--count", "1",
				"--key-format", "hex", "--value-format", "base64");
		assertThat(hex.exitCode()).as(hex.toString()).isZero();
		assertThat(hex.lines()).singleElement().asString().endsWith("\t6f726465722d31\tZmlyc3Q=");

		Cli.Result fromEnd = this.cli.run("consume", "cli.records", "--from", "end");
		assertThat(fromEnd.exitCode()).as(fromEnd.toString()).isZero();
		assertThat(fromEnd.out()).isEmpty();
	}

	@Test
	void consumesFromATimestampToTheEndOffsetsOfTheStart() throws InterruptedException {
		this.kafka.send("cli.times", "a", "before");
		Thread.sleep(50);
		Instant between = Instant.now();
		Thread.sleep(50);
		this.kafka.send("cli.times", "b", "after-1");
		this.kafka.send("cli.times", "c", "after-2");

		Cli.Result since = this.cli.run("consume", "cli.times", "--from", between.toString());
		assertThat(since.exitCode()).as(since.toString()).isZero();
		assertThat(since.lines()).extracting((line) -> line.split("\t")[4]).containsExactly("after-1", "after-2");

		Cli.Result all = this.cli.run("consume", "cli.times");
		assertThat(all.lines()).extracting((line) -> line.split("\t")[1]).containsExactly("0", "1", "2");

		Cli.Result two = this.cli.run("consume", "cli.times", "--count", "2");
		assertThat(two.lines()).extracting((line) -> line.split("\t")[3]).containsExactly("a", "b");

		Cli.Result future = this.cli.run("consume", "cli.times", "--from", Instant.now().plusSeconds(3600).toString());
		assertThat(future.exitCode()).as(future.toString()).isZero();
		assertThat(future.out()).isEmpty();
	}

	@Test
	void producesTheLinesOfStandardInput() {
		Cli.Result produced = this.cli.runWithInput("k1\tone\nk2\ttwo\nno key here\n", "produce", "cli.lines",
				"--key-separator");
		assertThat(produced.exitCode()).as(produced.toString()).isZero();
		assertThat(produced.lines()).containsExactly("0@0", "0@1", "0@2");

		Cli.Result colon = this.cli.runWithInput("k3:three\n", "produce", "cli.lines", "--key-separator=:");
		assertThat(colon.lines()).containsExactly("0@3");

		Cli.Result consumed = this.cli.run("consume", "cli.lines");
		assertThat(consumed.lines()).extracting((line) -> {
			String[] fields = line.split("\t");
			return fields[3] + "=" + fields[4];
		}).containsExactly("k1=one", "k2=two", "(null)=no key here", "k3=three");
	}

	@Test
	void describesAGroupsLagAfterAConsumerCommitted() {
		for (int i = 0; i < 5; i++) {
			this.kafka.send(new ProducerRecord<>("cli.lag", 0, "k", "v" + i));
		}
		this.kafka.send(new ProducerRecord<>("cli.lag", 1, "k", "w"));
		try (Consumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "cli-invoicing",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
			TopicPartition partition = new TopicPartition("cli.lag", 0);
			consumer.assign(List.of(partition));
			consumer.seek(partition, 0);
			consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)));
		}

		Cli.Result list = this.cli.run("groups", "list");
		assertThat(list.exitCode()).as(list.toString()).isZero();
		assertThat(list.lines()).anySatisfy((line) -> assertThat(line).startsWith("cli-invoicing "));

		Cli.Result describe = this.cli.run("groups", "describe", "cli-invoicing");
		assertThat(describe.exitCode()).as(describe.toString()).isZero();
		assertThat(describe.lines()).hasSize(5);
		assertThat(describe.lines().get(0)).startsWith("Group: cli-invoicing  state: ");
		assertThat(describe.lines().get(1).split("\\s+")).containsExactly("TOPIC", "PARTITION", "COMMITTED", "END",
				"LAG");
		assertThat(describe.lines().get(2).split("\\s+")).containsExactly("cli.lag", "0", "3", "5", "2");
		// Never committed on: it lags by all its records.
		assertThat(describe.lines().get(3).split("\\s+")).containsExactly("cli.lag", "1", "-", "1", "1");
		assertThat(describe.lines().get(4)).isEqualTo("Total lag: 3");

		Cli.Result unknown = this.cli.run("groups", "describe", "cli-nobody");
		assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
		assertThat(unknown.err().lines()).singleElement()
			.isEqualTo("kafka-cli groups describe: Consumer group 'cli-nobody' does not exist");
	}

	/**
	 * The test's application context: nothing but the broker that
	 * {@link EmbeddedKafkaWorkerTest} starts.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	static class BrokerOnly {

	}

}
