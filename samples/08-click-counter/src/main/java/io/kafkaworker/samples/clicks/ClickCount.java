package io.kafkaworker.samples.clicks;

/**
 * A user's row in the click counter's group table, kept as JSON
 * ({@code {"clicks":42,"lastPage":"/cart"}}): how many clicks the user made and the page
 * of the last one.
 *
 * @param clicks the number of clicks
 * @param lastPage the page of the last click
 */
public record ClickCount(long clicks, String lastPage) {

	/**
	 * Return the row after one more click.
	 * @param page the page clicked
	 * @return the new row
	 */
	public ClickCount plus(String page) {
		return new ClickCount(this.clicks + 1, page);
	}

}
