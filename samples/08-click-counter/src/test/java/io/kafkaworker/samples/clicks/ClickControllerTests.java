package io.kafkaworker.samples.clicks;

import io.kafkaworker.state.TableView;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The controller's answers while the view has not yet read the table up to where it stood
 * at startup, which the tests on a broker pass too quickly to see.
 */
class ClickControllerTests {

	@Test
	@SuppressWarnings("unchecked")
	void answers503WithRetryAfterUntilTheViewHasRecovered() {
		TableView<String, ClickCount> view = mock(TableView.class);
		given(view.get("user-1")).willReturn(new ClickCount(3, "/cart"));
		ClickController controller = new ClickController(view);

		assertThat(controller.clicks("user-1").getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(controller.clicks("user-1").getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(controller.users().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		given(view.recovered()).willReturn(true);
		assertThat(controller.clicks("user-1").getBody()).isEqualTo(new ClickCount(3, "/cart"));
		assertThat(controller.clicks("user-2").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

}
