package io.kafkaworker.autoconfigure;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The workers' own scheduler, used when the application defines no
 * {@value KafkaWorkerAutoConfiguration#TASK_SCHEDULER_BEAN_NAME} bean. Not a bean; the
 * registrar shuts it down, while a scheduler bean is the application's to shut down.
 */
final class OwnTaskScheduler extends ThreadPoolTaskScheduler {

}
