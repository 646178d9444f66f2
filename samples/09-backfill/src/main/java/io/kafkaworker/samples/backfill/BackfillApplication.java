package io.kafkaworker.samples.backfill;

import io.kafkaworker.samples.support.DemoConfiguration;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;

/**
 * A bounded backfill: {@link OrderTotals} reads every order of {@value #TOPIC} up to the
 * end it sees when it starts (a reader: {@code kafka.worker.workers.totals.reader.*} in
 * {@code application.yml}), totals the amounts per customer, prints the totals, and the
 * application exits with status 0. {@link OrderSeeder} writes the demo orders first, then
 * starts the reader.
 */
@SpringBootApplication
@Import(DemoConfiguration.class)
public class BackfillApplication {

	/**
	 * The topic the reader reads.
	 */
	static final String TOPIC = "demo.orders";

	@Bean
	NewTopic ordersTopic() {
		return TopicBuilder.name(TOPIC).partitions(3).build();
	}

	/**
	 * Run the backfill.
	 * @param args command-line arguments, for example {@code --demo.seed=100000}
	 */
	public static void main(String[] args) {
		SpringApplication.run(BackfillApplication.class, args);
	}

}
