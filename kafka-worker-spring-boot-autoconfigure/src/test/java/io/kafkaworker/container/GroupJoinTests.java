package io.kafkaworker.container;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupJoinTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final GroupJoin join = new GroupJoin(this.now::get);

	@Test
	void notJoinedBeforeAnyAssignment() {
		this.now.addAndGet(GroupJoin.EMPTY_ASSIGNMENT_GRACE.toNanos() * 10);
		assertThat(this.join.assignmentReceived()).isFalse();
		assertThat(this.join.joined()).isFalse();
	}

	@Test
	void joinedAsSoonAsPartitionsArrive() {
		this.join.assigned(2);
		assertThat(this.join.joined()).isTrue();
	}

	@Test
	void anEmptyAssignmentFollowedByPartitionsWithinTheGraceJoinsWithThem() {
		this.join.assigned(0);
		assertThat(this.join.assignmentReceived()).isTrue();
		this.now.addAndGet(GroupJoin.EMPTY_ASSIGNMENT_GRACE.toNanos() - 1);
		assertThat(this.join.joined()).isFalse();
		this.join.assigned(2);
		assertThat(this.join.joined()).isTrue();
	}

	@Test
	void anEmptyAssignmentHeldForTheGraceJoins() {
		this.join.assigned(0);
		this.now.addAndGet(GroupJoin.EMPTY_ASSIGNMENT_GRACE.toNanos() / 2);
		// a second empty assignment does not restart the grace
		this.join.assigned(0);
		this.now.addAndGet(GroupJoin.EMPTY_ASSIGNMENT_GRACE.toNanos() / 2);
		assertThat(this.join.joined()).isTrue();
	}

}
