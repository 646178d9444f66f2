package io.kafkaworker.samples.partition;

import io.kafkaworker.samples.support.DemoConfiguration;
import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Sample 03: partition-concurrent. {@link LedgerWorker} applies the ledger entries of
 * {@value #TOPIC} in offset order within each of its {@value #PARTITIONS} partitions, and
 * the partitions in parallel: as fast as sample 01 times the partition count, as long as
 * the partitions are busy alike. Entries of one account share a key, so a partition, so
 * they are applied in the order they were written.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class PartitionConcurrentApplication {

	/**
	 * The topic the worker consumes.
	 */
	static final String TOPIC = "demo.ledger";

	/**
	 * The partitions of the topic: the most records the worker handles at once.
	 */
	static final int PARTITIONS = 6;

	/**
	 * The accounts of the seeded entries.
	 */
	static final int ACCOUNTS = 50;

	@Bean
	NewTopic ledgerTopic() {
		return TopicBuilder.name(TOPIC).partitions(PARTITIONS).build();
	}

	// Entry i belongs to account-(i % ACCOUNTS).
	@Bean
	ApplicationRunner seedLedger(DemoSeeder seeder, DemoWorkload workload) {
		return (args) -> seeder.seed(TOPIC, workload.seed(),
				(i) -> new ProducerRecord<>(TOPIC, "account-" + (i % ACCOUNTS), Long.toString(amount(i))));
	}

	/**
	 * Return the amount of seeded entry {@code i}: +1 to +9 or -1 to -9.
	 * @param i the entry's number
	 * @return its amount
	 */
	static long amount(int i) {
		return (i % 9 + 1) * ((i % 2 == 0) ? 1 : -1);
	}

	/**
	 * Run the sample.
	 * @param args command-line arguments, for example {@code --demo.seed=10000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(PartitionConcurrentApplication.class, args);
	}

}
