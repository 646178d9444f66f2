package io.kafkaworker.samples.clicks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * What the tests share: random clicks and what they should count to, the table as a
 * read_committed reader folds it, and the counts the application serves over HTTP.
 */
final class Clicks {

	private static final List<String> PAGES = List.of("/home", "/search", "/product", "/cart", "/checkout");

	private static final JsonMapper json = JsonMapper.builder().build();

	private Clicks() {
	}

	/**
	 * Return a random generator, logging its seed: rerun with
	 * {@code -Dclicks.seed=<seed>} to send the same clicks again.
	 * @param test the test's name
	 * @return the generator
	 */
	static Random random(String test) {
		long seed = Long.getLong("clicks.seed", new Random().nextLong());
		System.out.println(test + ": random clicks with -Dclicks.seed=" + seed);
		return new Random(seed);
	}

	/**
	 * Return random clicks by up to 25 users, and add them to the counts they lead to.
	 * @param topic the topic
	 * @param random the generator
	 * @param count how many clicks
	 * @param expected the counts, by user, updated with these clicks
	 * @return the clicks
	 */
	static List<ProducerRecord<String, String>> random(String topic, Random random, int count,
			Map<String, ClickCount> expected) {
		List<ProducerRecord<String, String>> clicks = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String user = "user-" + (1 + random.nextInt(25));
			String page = PAGES.get(random.nextInt(PAGES.size()));
			clicks.add(new ProducerRecord<>(topic, user, page));
			expected.merge(user, new ClickCount(1, page), (before, click) -> before.plus(page));
		}
		return clicks;
	}

	/**
	 * Read a table topic from the beginning with {@code read_committed}, as a view does,
	 * and fold it: each user's last row.
	 * @param bootstrapServers the broker
	 * @param table the table topic
	 * @return the rows by user
	 */
	static Map<String, ClickCount> table(String bootstrapServers, String table) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, ClickCount> rows = new TreeMap<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(table)
				.stream()
				.map((info) -> new TopicPartition(table, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				for (ConsumerRecord<String, byte[]> row : consumer.poll(Duration.ofMillis(200))) {
					if (row.value() == null) {
						rows.remove(row.key());
					}
					else {
						rows.put(row.key(), json.readValue(row.value(), ClickCount.class));
					}
				}
			}
		}
		return rows;
	}

	/**
	 * Return every user's clicks from {@code GET /users}.
	 * @param http a client of the application
	 * @return the rows by user
	 */
	static Map<String, ClickCount> users(RestClient http) {
		return http.get().uri("/users").retrieve().body(new ParameterizedTypeReference<Map<String, ClickCount>>() {
		});
	}

}
