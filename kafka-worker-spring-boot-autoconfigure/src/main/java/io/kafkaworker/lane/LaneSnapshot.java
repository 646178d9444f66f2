package io.kafkaworker.lane;

/**
 * A consistent view of a {@link LaneScheduler} at one moment.
 *
 * @param lanes lanes that exist (have items, run a call, or are halted)
 * @param haltedLanes lanes halted after a failure or by request
 * @param bufferedItems items waiting in lanes, not in a running call
 * @param runningCalls calls running now
 * @param concurrency the maximum number of calls running at once
 */
public record LaneSnapshot(int lanes, int haltedLanes, int bufferedItems, int runningCalls, int concurrency) {

}
