/**
 * kafka-cli, go-kafka's kafka-cli made real: a Spring Boot command-line application
 * (picocli) that lists, describes and creates topics, describes consumer groups and their
 * lag, consumes and produces records, and acts on a running application's workers through
 * its {@code kafkaworkers} actuator endpoint.
 */
@NullMarked
package io.kafkaworker.samples.cli;

import org.jspecify.annotations.NullMarked;
