package io.kafkaworker.delivery;

import java.util.List;

import io.kafkaworker.dispatch.WorkItem;

/**
 * Hears, on a lane thread, which records of a share-group worker's call are finished:
 * complete ones are acknowledged as accepted, the others released for redelivery. Records
 * a call put back on its lane are not finished and are not reported.
 */
@FunctionalInterface
public interface ShareOutcomes {

	/**
	 * Report finished records.
	 * @param items the records, each complete or not
	 */
	void finished(List<WorkItem> items);

}
