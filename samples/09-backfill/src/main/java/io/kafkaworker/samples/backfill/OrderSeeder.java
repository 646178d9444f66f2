package io.kafkaworker.samples.backfill;

import io.kafkaworker.samples.support.DemoSeeder;
import io.kafkaworker.samples.support.DemoWorkload;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Writes {@code demo.seed} orders, then starts the reader ({@code auto-startup: false}):
 * a reader reads up to the end offsets it sees when it starts, so in a real backfill the
 * data is there already and the reader starts with the application.
 */
@Component
class OrderSeeder implements ApplicationRunner {

	private final DemoSeeder seeder;

	private final DemoWorkload workload;

	private final KafkaListenerEndpointRegistry containers;

	OrderSeeder(DemoSeeder seeder, DemoWorkload workload, KafkaListenerEndpointRegistry containers) {
		this.seeder = seeder;
		this.workload = workload;
		this.containers = containers;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.seeder.seed(BackfillApplication.TOPIC, this.workload.seed(),
				(i) -> new ProducerRecord<>(BackfillApplication.TOPIC, customer(i), Long.toString(amount(i))));
		MessageListenerContainer reader = this.containers.getListenerContainer(OrderTotals.WORKER);
		if (reader != null) {
			reader.start();
		}
	}

	/**
	 * Return the customer of demo order {@code i}.
	 * @param i the order's number
	 * @return the customer
	 */
	static String customer(int i) {
		return "customer-" + (i % 50);
	}

	/**
	 * Return the amount of demo order {@code i}.
	 * @param i the order's number
	 * @return the amount
	 */
	static long amount(int i) {
		return 10 + (i % 90);
	}

}
