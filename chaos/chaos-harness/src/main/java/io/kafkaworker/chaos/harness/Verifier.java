package io.kafkaworker.chaos.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The independent verifier: its own Kafka consumers (read_committed) and JDBC
 * connection, none of the engine's code. It reads what was produced from the input topic
 * itself, the dead letters, and every handling (output records, or effect rows), then
 * checks loss, per-key order, exactly-once, and attributes each duplicate to a fault.
 */
final class Verifier {

	private static final long READ_TIMEOUT_MILLIS = 120_000;

	private static final long OUTAGE_SLACK_MILLIS = 5_000;

	private static final long DRAIN_MILLIS = 30_000;

	// A woken zombie handles what it held until its next poll reports the partitions
	// lost: within a poll cycle, far less than this.
	private static final long ZOMBIE_WAKE_MILLIS = 10_000;

	// A woken zombie's consumer also fetches from the positions it held, before a
	// heartbeat tells it that it was fenced (kafka-clients 4.2's consumer fetches and
	// heartbeats on its own thread): records produced while it was stopped that it
	// handles within this of waking are its doing too. Shorter than ZOMBIE_WAKE_MILLIS,
	// so that a zombie that rejoined and was given the partition again is not excused.
	private static final long ZOMBIE_FETCH_MILLIS = 5_000;

	private final Settings settings;

	private final Topics topics;

	private final RunSpec spec;

	private final Fleet fleet;

	private final FaultLog faults;

	Verifier(Settings settings, Topics topics, RunSpec spec, Fleet fleet, FaultLog faults) {
		this.settings = settings;
		this.topics = topics;
		this.spec = spec;
		this.fleet = fleet;
		this.faults = faults;
	}

	/**
	 * Wait, bounded, until the group committed the input's end offsets; give up early
	 * when no worker is running (they all crashed).
	 * @param broker the broker
	 * @return the remaining lag (0 once caught up)
	 * @throws Exception if the offsets cannot be read
	 */
	long awaitCommitted(KraftBroker broker) throws Exception {
		long deadline = System.currentTimeMillis() + this.settings.catchUpSeconds() * 1000L;
		long lag = Long.MAX_VALUE;
		try (Admin admin = broker.admin()) {
			while (true) {
				long[] ends = KraftBroker.endOffsets(admin, this.topics.input(), this.topics.partitions());
				long[] committed = KraftBroker.committed(admin, this.topics.group(), this.topics.input(),
						this.topics.partitions());
				lag = 0;
				for (int i = 0; i < ends.length; i++) {
					lag += ends[i] - Math.max(0, committed[i]);
				}
				if (lag == 0 || System.currentTimeMillis() > deadline || this.fleet.live().isEmpty()) {
					return lag;
				}
				Thread.sleep(1000);
			}
		}
	}

	/**
	 * Read everything and check it.
	 * @param result where the figures go
	 * @param skipped the records the operator skipped
	 * @throws Exception if reading fails
	 */
	void verify(RunResult result, Set<String> skipped) throws Exception {
		Map<String, String> inputs = new LinkedHashMap<>();
		Map<String, Long> producedAt = new HashMap<>();
		read(this.topics.input(), (record) -> {
			String id = record.partition() + "@" + record.offset();
			inputs.put(id, new String(record.key(), StandardCharsets.UTF_8));
			producedAt.put(id, record.timestamp());
		});
		Set<String> deadLetters = new HashSet<>();
		read(this.topics.deadLetters(), (record) -> deadLetters.add(deadLetterOf(record)));
		List<Handling> handlings = this.spec.rows() ? readRows() : readOutput();
		result.produced = inputs.size();
		result.handlings = handlings.size();
		result.deadLettered = deadLetters.size();
		result.operatorSkips = skipped.size();
		Map<String, List<Handling>> byRecord = new HashMap<>();
		for (Handling handling : handlings) {
			byRecord.computeIfAbsent(handling.record(), (key) -> new ArrayList<>()).add(handling);
		}
		result.handled = byRecord.size();
		for (String record : inputs.keySet()) {
			if (!byRecord.containsKey(record) && !deadLetters.contains(record) && !skipped.contains(record)) {
				result.lost++;
				result.example("lost", record + " key " + inputs.get(record));
			}
		}
		if (this.spec.ordered()) {
			checkOrder(handlings, result);
		}
		attributeDuplicates(byRecord, producedAt, result);
	}

	// Within one key, the first handlings must come in offset order: output records are
	// keyed by the input key and sent synchronously, so log order is handling order.
	private void checkOrder(List<Handling> handlings, RunResult result) {
		Map<String, Long> lastFirst = new HashMap<>();
		Set<String> seen = new HashSet<>();
		for (Handling handling : handlings) {
			if (!seen.add(handling.record())) {
				continue;
			}
			Long last = lastFirst.get(handling.key());
			if (last != null && handling.offset() < last) {
				result.outOfOrder++;
				result.example("order", "key " + handling.key() + ": " + handling.record() + " first handled after offset "
						+ last + " (by " + handling.incarnation() + ")");
			}
			else {
				lastFirst.put(handling.key(), handling.offset());
			}
		}
	}

	private void attributeDuplicates(Map<String, List<Handling>> byRecord, Map<String, Long> producedAt,
			RunResult result) {
		List<long[]> outages = outages();
		Set<String> slow = slowRecords();
		List<Long> moves = membershipChanges();
		for (List<Handling> list : byRecord.values()) {
			for (int i = 1; i < list.size(); i++) {
				Cause cause = handedOverWhileRunning(list.get(i - 1), list.get(i), slow, moves) ? Cause.SLOW_HANDOVER
						: cause(list.get(i - 1), list.get(i), producedAt.getOrDefault(list.get(i).record(), 0L),
								outages);
				result.duplicates.merge(cause, 1L, Long::sum);
				if (cause == Cause.SIGKILL && !duringOutage(list.get(i - 1).time(), outages)) {
					noteKillAge(list.get(i - 1), result);
				}
				if (this.spec.exactlyOnce() || cause.graceful()) {
					result.example("duplicate " + cause.label(), list.get(i).record() + " by " + list.get(i - 1).incarnation()
							+ " then " + list.get(i).incarnation());
				}
			}
		}
	}

	// A slow record whose partition could move while the first incarnation ran it: the
	// two handlings overlapped (each is logged when its handler ends, after sleeping the
	// slow time, so the second began before the first ended), or the group's membership
	// changed while the first ran. A revocation waits revoke-timeout and a drain part of
	// shutdown.timeout for it, both shorter than the slow time, so the first owner
	// commits without it and finishes it afterwards; its next owner runs it again. (A
	// slow record that ended before the change was committed by its owner within one
	// commit interval, and a duplicate of it still counts against the graceful check.)
	private boolean handedOverWhileRunning(Handling first, Handling again, Set<String> slow, List<Long> moves) {
		if (!slow.contains(first.record()) || first.incarnation().equals(again.incarnation())) {
			return false;
		}
		long began = first.time() - this.settings.slowMillis();
		return again.time() - this.settings.slowMillis() < first.time()
				|| moves.stream().anyMatch((time) -> began <= time && time <= first.time());
	}

	// The times of every fault or event that changes the group's membership.
	private List<Long> membershipChanges() {
		Set<Fault> changes = EnumSet.of(Fault.SIGKILL, Fault.SIGTERM, Fault.SIGTERM_ALL, Fault.EXTRA_MEMBER,
				Fault.ZOMBIE, Fault.STOPPED, Fault.START, Fault.SIGCONT, Fault.BROKER_KILL, Fault.BROKER_READY);
		List<Long> times = new ArrayList<>();
		for (FaultLog.Entry entry : this.faults.entries()) {
			if (changes.contains(entry.type())) {
				times.add(entry.time());
			}
		}
		return times;
	}

	private Set<String> slowRecords() {
		Set<String> slow = new HashSet<>();
		for (FaultLog.Entry entry : this.faults.entries()) {
			if (entry.type() == Fault.SLOW_RECORD) {
				slow.add(entry.target());
			}
		}
		return slow;
	}

	// A second incarnation that was stopped (SIGSTOP) while the first one handled the
	// record, and handled it within seconds of waking, is a zombie; else the earliest
	// signal the first incarnation received from shortly before its handling (a SIGTERM
	// drains for a while) until the second handling decides; else the second incarnation
	// may still be a zombie; else a broker outage, else a rebalance between live members.
	private Cause cause(Handling first, Handling again, long produced, List<long[]> outages) {
		long from = Math.min(first.time(), again.time());
		long to = Math.max(first.time(), again.time());
		boolean outage = outages.stream()
			.anyMatch((window) -> window[0] - OUTAGE_SLACK_MILLIS <= to && from <= window[1] + OUTAGE_SLACK_MILLIS);
		if (first.incarnation().equals(again.incarnation())) {
			// Stopped past its session timeout in between, it was fenced and rejoined:
			// what it had not committed before, or handled from its old positions as it
			// woke, ran again when it got its partitions back.
			if (stoppedBetween(first.incarnation(), first.time(), again.time())) {
				return Cause.ZOMBIE;
			}
			return outage ? Cause.BROKER_OUTAGE : Cause.SAME_INCARNATION;
		}
		// A zombie finishing, right after it woke, a record it could hold when it was
		// stopped (produced before), or one it fetched from its old position as it woke:
		// its doing, whatever later befell the incarnation that handled the record
		// meanwhile.
		long[] stop = stopAround(again.incarnation(), first.time());
		long sinceWaking = (stop != null) ? again.time() - stop[1] : Long.MAX_VALUE;
		if (sinceWaking <= ZOMBIE_FETCH_MILLIS || (sinceWaking <= ZOMBIE_WAKE_MILLIS && produced < stop[0])) {
			return Cause.ZOMBIE;
		}
		FaultLog.Entry signal = signals(first.incarnation()).stream()
			.filter((entry) -> !entry.detail().equals("CONT") && entry.time() >= from - DRAIN_MILLIS && entry.time() <= to)
			.findFirst()
			.orElse(null);
		if (signal != null) {
			return switch (signal.detail()) {
				case "KILL" -> Cause.SIGKILL;
				case "STOP" -> Cause.ZOMBIE;
				default -> Cause.SIGTERM;
			};
		}
		if (stop != null) {
			return Cause.ZOMBIE;
		}
		return outage ? Cause.BROKER_OUTAGE : Cause.REBALANCE;
	}

	// While the broker is down, and for a few seconds after it is back (the group
	// coordinator loads the offsets), no commit can go through: what a worker handled
	// then is not held to the commit interval when the worker is killed.
	private static boolean duringOutage(long time, List<long[]> outages) {
		return outages.stream().anyMatch((window) -> window[0] <= time && time <= window[1] + OUTAGE_SLACK_MILLIS);
	}

	// How long before the kill the killed incarnation had handled a record that ran
	// again: the engine commits every second, listing what finished above each offset,
	// so only what finished within about one commit interval may run twice.
	private void noteKillAge(Handling first, RunResult result) {
		signals(first.incarnation()).stream()
			.filter((entry) -> entry.detail().equals("KILL") && entry.time() >= first.time())
			.findFirst()
			.ifPresent((kill) -> result.oldestKillDuplicateMillis = Math.max(result.oldestKillDuplicateMillis,
					kill.time() - first.time()));
	}

	private List<FaultLog.Entry> signals(String incarnationId) {
		Fleet.Incarnation incarnation = this.fleet.incarnation(incarnationId);
		return (incarnation != null) ? incarnation.signals : List.of();
	}

	// Whether the incarnation was stopped (SIGSTOP) after, or woke less than
	// ZOMBIE_FETCH_MILLIS before, the first handling, and woke before the second.
	private boolean stoppedBetween(String incarnationId, long first, long again) {
		return stops(incarnationId).stream()
			.anyMatch((stop) -> first <= stop[1] + ZOMBIE_FETCH_MILLIS && stop[1] <= again);
	}

	// The SIGSTOP that held the incarnation at the given time, as {stopped, woke} (the
	// times of its SIGSTOP and SIGCONT); null if none did.
	private long[] stopAround(String incarnationId, long time) {
		return stops(incarnationId).stream()
			.filter((stop) -> stop[0] <= time && time <= stop[1])
			.findFirst()
			.orElse(null);
	}

	// Each time the incarnation was held by SIGSTOP, as {stopped, woke}, in order.
	private List<long[]> stops(String incarnationId) {
		List<long[]> stops = new ArrayList<>();
		long stopped = -1;
		for (FaultLog.Entry entry : signals(incarnationId)) {
			if (entry.detail().equals("STOP")) {
				stopped = entry.time();
			}
			else if (entry.detail().equals("CONT") && stopped >= 0) {
				stops.add(new long[] { stopped, entry.time() });
				stopped = -1;
			}
		}
		return stops;
	}

	private List<long[]> outages() {
		List<long[]> outages = new ArrayList<>();
		long down = -1;
		for (FaultLog.Entry entry : this.faults.entries()) {
			if (entry.type() == Fault.BROKER_KILL) {
				down = entry.time();
			}
			else if (entry.type() == Fault.BROKER_READY && down >= 0) {
				outages.add(new long[] { down, entry.time() });
				down = -1;
			}
		}
		return outages;
	}

	private static String deadLetterOf(ConsumerRecord<byte[], byte[]> record) {
		Header partition = record.headers().lastHeader("kafka_dlt-original-partition");
		Header offset = record.headers().lastHeader("kafka_dlt-original-offset");
		return ByteBuffer.wrap(partition.value()).getInt() + "@" + ByteBuffer.wrap(offset.value()).getLong();
	}

	private List<Handling> readOutput() throws InterruptedException {
		List<Handling> handlings = new ArrayList<>();
		read(this.topics.output(), (record) -> handlings.add(Handling.parse(
				new String(record.key(), StandardCharsets.UTF_8), new String(record.value(), StandardCharsets.UTF_8))));
		return handlings;
	}

	private List<Handling> readRows() throws Exception {
		List<Handling> handlings = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(this.settings.jdbcUrl(), "sa", "");
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select line from chaos_effects order by id")) {
			while (rows.next()) {
				String line = rows.getString(1);
				int comma = line.indexOf(',');
				handlings.add(Handling.parse(line.substring(0, comma), line.substring(comma + 1)));
			}
		}
		return handlings;
	}

	// Reads a topic from the beginning to its read_committed end, partition by partition
	// in log order; a missing topic reads as empty.
	private void read(String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) throws InterruptedException {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.settings.bootstrap());
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
			List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(30)).get(topic);
			if (infos == null || infos.isEmpty()) {
				return;
			}
			for (PartitionInfo info : infos) {
				TopicPartition partition = new TopicPartition(topic, info.partition());
				consumer.assign(List.of(partition));
				consumer.seekToBeginning(List.of(partition));
				long end = consumer.endOffsets(List.of(partition)).get(partition);
				long deadline = System.currentTimeMillis() + READ_TIMEOUT_MILLIS;
				while (consumer.position(partition) < end) {
					if (System.currentTimeMillis() > deadline) {
						throw new IllegalStateException("Could not read " + partition + " to " + end);
					}
					consumer.poll(Duration.ofMillis(500)).forEach(sink);
				}
			}
		}
	}

}
