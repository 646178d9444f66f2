/**
 * The application under test in the chaos runs: one worker whose handler records every
 * handling, so that an independent verifier can count them.
 */
package io.kafkaworker.chaos.worker;
