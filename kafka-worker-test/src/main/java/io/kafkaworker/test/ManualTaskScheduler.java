package io.kafkaworker.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.support.SimpleTriggerContext;

/**
 * A {@link TaskScheduler} whose time moves only when a test {@link #advance advances} it.
 * Registered as the workers' scheduler
 * ({@code KafkaWorkerAutoConfiguration.TASK_SCHEDULER_BEAN_NAME}), its clock times the
 * engine's back-offs between attempts, the retry-after of frozen records and the back-off
 * of exactly-once units, so a test decides when they end instead of sleeping through
 * them. Due tasks run on the thread that advances the time, in the order they are due.
 * <p>
 * Written by hand: Spring offers no task scheduler on a manual clock.
 */
public final class ManualTaskScheduler implements TaskScheduler {

	private final ManualClock clock;

	private final AtomicLong sequence = new AtomicLong();

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparing((Task task) -> task.due).thenComparingLong((task) -> task.sequence));

	/**
	 * Create a scheduler whose time starts now.
	 */
	public ManualTaskScheduler() {
		this(Instant.now());
	}

	/**
	 * Create a scheduler whose time starts at the given instant.
	 * @param start the time to start at
	 */
	public ManualTaskScheduler(Instant start) {
		this.clock = new ManualClock(start, ZoneOffset.UTC);
	}

	@Override
	public Clock getClock() {
		return this.clock;
	}

	/**
	 * Return the scheduler's current time.
	 * @return the time
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * Move the time forward and run every task that falls due meanwhile, each at its own
	 * time, on this thread.
	 * @param duration how far to move
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("Time only moves forward, not by " + duration);
		}
		Instant target = this.clock.instant().plus(duration);
		while (true) {
			Task next;
			synchronized (this.tasks) {
				next = this.tasks.peek();
				if (next == null || next.due.isAfter(target)) {
					break;
				}
				this.tasks.poll();
			}
			if (next.due.isAfter(this.clock.instant())) {
				this.clock.set(next.due);
			}
			next.run();
		}
		this.clock.set(target);
	}

	/**
	 * Return how many tasks wait for their time.
	 * @return the number of scheduled tasks not yet run or cancelled
	 */
	public int pendingTasks() {
		return dueTimes().size();
	}

	/**
	 * Return when the next task falls due.
	 * @return its time, or null when no task waits
	 */
	public @Nullable Instant nextDue() {
		List<Instant> due = dueTimes();
		return due.isEmpty() ? null : due.get(0);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return add(task, startTime, null);
	}

	@Override
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		SimpleTriggerContext context = new SimpleTriggerContext(this.clock);
		Instant first = trigger.nextExecution(context);
		if (first == null) {
			return null;
		}
		return add(task, first, (previous) -> {
			context.update(previous, previous, this.clock.instant());
			return trigger.nextExecution(context);
		});
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		return add(task, startTime, (previous) -> previous.plus(period));
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		return scheduleAtFixedRate(task, this.clock.instant(), period);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		return add(task, startTime, (previous) -> this.clock.instant().plus(delay));
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		return scheduleWithFixedDelay(task, this.clock.instant(), delay);
	}

	private ScheduledFuture<?> add(Runnable runnable, Instant due, @Nullable NextTime next) {
		Task task = new Task(runnable, due, this.sequence.incrementAndGet(), next, new TaskFuture(due));
		synchronized (this.tasks) {
			this.tasks.add(task);
		}
		return task.future;
	}

	/**
	 * Return the tasks waiting for their time, for messages.
	 * @return when each falls due
	 */
	List<Instant> dueTimes() {
		synchronized (this.tasks) {
			List<Instant> due = new ArrayList<>();
			this.tasks.stream().filter((task) -> !task.future.isDone()).forEach((task) -> due.add(task.due));
			due.sort(Comparator.naturalOrder());
			return due;
		}
	}

	private interface NextTime {

		@Nullable Instant after(Instant previous);

	}

	private final class Task {

		final Runnable runnable;

		final Instant due;

		final long sequence;

		final @Nullable NextTime next;

		final TaskFuture future;

		Task(Runnable runnable, Instant due, long sequence, @Nullable NextTime next, TaskFuture future) {
			this.runnable = runnable;
			this.due = due;
			this.sequence = sequence;
			this.next = next;
			this.future = future;
		}

		void run() {
			if (this.future.isDone()) {
				return;
			}
			this.runnable.run();
			Instant following = (this.next != null) ? this.next.after(this.due) : null;
			if (following == null) {
				this.future.complete(null);
				return;
			}
			this.future.due = following;
			synchronized (ManualTaskScheduler.this.tasks) {
				ManualTaskScheduler.this.tasks.add(new Task(this.runnable, following,
						ManualTaskScheduler.this.sequence.incrementAndGet(), this.next, this.future));
			}
		}

	}

	private final class TaskFuture extends CompletableFuture<Object> implements ScheduledFuture<Object> {

		volatile Instant due;

		TaskFuture(Instant due) {
			this.due = due;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(ManualTaskScheduler.this.clock.instant(), this.due));
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

	private static final class ManualClock extends Clock {

		private volatile Instant now;

		private final ZoneId zone;

		ManualClock(Instant now, ZoneId zone) {
			this.now = now;
			this.zone = zone;
		}

		void set(Instant instant) {
			this.now = instant;
		}

		@Override
		public ZoneId getZone() {
			return this.zone;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return new ManualClock(this.now, zone);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
