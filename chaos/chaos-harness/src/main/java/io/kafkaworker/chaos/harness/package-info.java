/**
 * The chaos harness: one command that starts a restartable KRaft broker and several
 * worker JVMs of one application, produces keyed records, injects seeded faults, acts as
 * the operator of frozen records, and verifies each delivery guarantee with its own
 * clients.
 */
package io.kafkaworker.chaos.harness;
