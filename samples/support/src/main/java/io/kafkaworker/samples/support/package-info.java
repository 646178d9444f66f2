/**
 * What every kafka-worker sample shares: a Kafka broker started in-process when none is
 * configured, the seeding of demo records, and progress lines that say where to look. Not
 * published: the samples depend on it inside this build.
 */
@NullMarked
package io.kafkaworker.samples.support;

import org.jspecify.annotations.NullMarked;
