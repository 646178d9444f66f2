/**
 * What happens when a handler fails: in-place retries with back-off, and the policy
 * applied once retries are exhausted.
 */
@NullMarked
package io.kafkaworker.error;

import org.jspecify.annotations.NullMarked;
