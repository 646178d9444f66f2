package io.kafkaworker.chaos.harness;

import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@code chaos/run.sh}.
 */
final class Options {

	static final String USAGE = """
			Usage: chaos/run.sh [--minutes M] [--seed S] [--runs key,partition,parallel,eos-kafka,eos-jdbc]
			                    [--rate R] [--workers N] [--fault-every SECONDS] [--group-protocol P]
			                    [--strict-duplicates] [--ci]
			  --minutes M          minutes of producing (and faults) per run (default 2)
			  --seed S             seed of every random choice (default: the clock)
			  --runs LIST          runs to do, in order (default: all five)
			  --rate R             records produced per second (default 500)
			  --workers N          worker JVMs in the group (default 3)
			  --fault-every S      mean seconds between faults (default 5)
			  --catch-up S         longest wait for the group to commit the input's end (default 180)
			  --group-protocol P   consumer (default: KIP-848, the engine's default where the broker offers it)
			                       or classic (with the engine's cooperative-sticky assignor)
			  --strict-duplicates  fail a run on duplicates after SIGTERM or a rebalance
			  --ci                 the short fixed-seed run of every guarantee (seed 15, 35 s per run, 300/s, faults every 4 s)
			""";

	long seed = System.currentTimeMillis() % 1_000_000;

	int produceSeconds = 120;

	int rate = 500;

	int keys = 200;

	int workers = 3;

	int faultEverySeconds = 5;

	int catchUpSeconds = 180;

	boolean strictDuplicates;

	String groupProtocol = "consumer";

	List<RunSpec> runs = RunSpec.ALL;

	private final StringBuilder reproduce = new StringBuilder();

	static Options parse(String[] args) {
		Options options = new Options();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "-h", "--help" -> {
					return null;
				}
				case "--ci" -> {
					options.seed = 15;
					options.produceSeconds = 35;
					options.rate = 300;
					options.faultEverySeconds = 4;
					options.catchUpSeconds = 120;
					options.reproduce.append(" --ci");
				}
				case "--strict-duplicates" -> {
					options.strictDuplicates = true;
					options.reproduce.append(" --strict-duplicates");
				}
				case "--minutes" -> options.produceSeconds = (int) Math.round(Double.parseDouble(value(args, ++i, options)) * 60);
				case "--seed" -> options.seed = Long.parseLong(args[++i]);
				case "--runs" -> options.runs = Arrays.stream(value(args, ++i, options).split(",")).map(RunSpec::named).toList();
				case "--rate" -> options.rate = Integer.parseInt(value(args, ++i, options));
				case "--workers" -> options.workers = Integer.parseInt(value(args, ++i, options));
				case "--fault-every" -> options.faultEverySeconds = Integer.parseInt(value(args, ++i, options));
				case "--group-protocol" -> options.groupProtocol = protocol(value(args, ++i, options));
				case "--catch-up" -> options.catchUpSeconds = Integer.parseInt(value(args, ++i, options));
				default -> throw new IllegalArgumentException("Unknown option " + arg + System.lineSeparator() + USAGE);
			}
		}
		return options;
	}

	private static String protocol(String value) {
		if (!value.equals("classic") && !value.equals("consumer")) {
			throw new IllegalArgumentException("--group-protocol is classic or consumer, not " + value);
		}
		return value;
	}

	String reproduce() {
		return this.reproduce.toString().trim();
	}

	private static String value(String[] args, int index, Options options) {
		if (index >= args.length) {
			throw new IllegalArgumentException(args[index - 1] + " needs a value" + System.lineSeparator() + USAGE);
		}
		options.reproduce.append(' ').append(args[index - 1]).append(' ').append(args[index]);
		return args[index];
	}

}
