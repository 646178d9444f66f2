package io.kafkaworker.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.kafkaworker.testsupport.Seed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CompletedOffsets}: the set of records complete above a committed
 * offset, written to and read from commit metadata.
 */
class CompletedOffsetsTests {

	@Test
	void containsExactlyTheOffsetsOfItsIntervals() {
		CompletedOffsets set = CompletedOffsets.of(100, new long[] { 102, 105, 110, 111 }, 4);
		assertThat(LongStream.rangeClosed(95, 115).filter(set::contains).boxed().toList()).containsExactly(102L, 103L,
				104L, 110L);
		assertThat(set.highest()).isEqualTo(110);
		assertThat(set.span()).isEqualTo(4);
		assertThat(set.base()).isEqualTo(100);
	}

	@Test
	void firstAbsentFromSkipsTheIntervalThatHoldsTheOffset() {
		CompletedOffsets set = CompletedOffsets.of(100, new long[] { 102, 105, 110, 111 }, 4);
		assertThat(set.firstAbsentFrom(101)).isEqualTo(101);
		assertThat(set.firstAbsentFrom(102)).isEqualTo(105);
		assertThat(set.firstAbsentFrom(104)).isEqualTo(105);
		assertThat(set.firstAbsentFrom(105)).isEqualTo(105);
		assertThat(set.firstAbsentFrom(110)).isEqualTo(111);
		assertThat(set.firstAbsentFrom(500)).isEqualTo(500);
		assertThat(CompletedOffsets.NONE.firstAbsentFrom(3)).isEqualTo(3);
	}

	@Test
	void boundsAboveCutsTheIntervalThatHoldsTheOffset() {
		CompletedOffsets set = CompletedOffsets.of(100, new long[] { 102, 105, 110, 111 }, 4);
		assertThat(set.boundsAbove(100)).containsExactly(102, 105, 110, 111);
		assertThat(set.boundsAbove(102)).containsExactly(103, 105, 110, 111);
		assertThat(set.boundsAbove(104)).containsExactly(110, 111);
		assertThat(set.boundsAbove(107)).containsExactly(110, 111);
		assertThat(set.boundsAbove(110)).isEmpty();
	}

	@Test
	void touchingIntervalsAreMerged() {
		assertThat(CompletedOffsets.of(0, new long[] { 1, 3, 3, 5 }, 4))
			.isEqualTo(CompletedOffsets.of(0, new long[] { 1, 5 }, 2));
	}

	@Test
	void intervalsMustBeAboveTheBaseAndAscending() {
		assertThatIllegalArgumentException().isThrownBy(() -> CompletedOffsets.of(10, new long[] { 10, 12 }, 2))
			.withMessageContaining("not above offset 10");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CompletedOffsets.of(10, new long[] { 15, 20, 18, 22 }, 4));
		assertThatIllegalArgumentException().isThrownBy(() -> CompletedOffsets.of(10, new long[] { 15, 15 }, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> CompletedOffsets.of(10, new long[] { 15 }, 1));
	}

	@Test
	void emptySetHasNoText() {
		assertThat(CompletedOffsets.of(7, new long[0], 0)).isSameAs(CompletedOffsets.NONE);
		assertThat(CompletedOffsets.NONE.encode(4096)).isNull();
		assertThat(CompletedOffsets.NONE.highest()).isEqualTo(-1);
	}

	@Test
	void textNamesItsOffsetAndReadsBackOnlyForThatOffset() {
		CompletedOffsets set = CompletedOffsets.of(41, new long[] { 43, 44 }, 2);
		String text = set.encode(4096);
		assertThat(text).startsWith("kw1").contains("41:");
		assertThat(CompletedOffsets.decode(41, text)).isEqualTo(set);
		// Committed with another offset (a reset by a tool that kept the metadata).
		assertThat(CompletedOffsets.decode(42, text)).isSameAs(CompletedOffsets.NONE);
	}

	@Test
	void metadataOfOtherClientsOrMalformedReadsAsNone() {
		for (String metadata : new String[] { null, "", "kw1", "kw1r", "kw1r5", "kw1x5:AAA", "kw1r5:***", "kw1R5:AAAA",
				"kw1rfive:AQE", "parallel-consumer:abc", "kw1b5:", "kw1r5:gA" }) {
			assertThat(CompletedOffsets.decode(5, metadata)).as(String.valueOf(metadata))
				.isSameAs(CompletedOffsets.NONE);
		}
	}

	@Test
	void textLongerThanTheLimitIsNotWritten() {
		// Every other offset complete, spread far apart: neither runs nor bits are short.
		Random random = Seed.create().random();
		long[] bounds = new long[4000];
		long offset = 0;
		for (int i = 0; i < bounds.length; i += 2) {
			offset += 1 + random.nextInt(1000);
			bounds[i] = offset;
			offset += 1 + random.nextInt(3);
			bounds[i + 1] = offset;
		}
		CompletedOffsets set = CompletedOffsets.of(0, bounds, bounds.length);
		assertThat(set.encode(4096)).isNull();
		String unlimited = set.encode(Integer.MAX_VALUE);
		assertThat(unlimited).hasSizeGreaterThan(4096);
		assertThat(CompletedOffsets.decode(0, unlimited)).isEqualTo(set);
	}

	@Test
	void aLongRunOfCompleteRecordsAboveOneStuckRecordTakesAFewCharacters() {
		// KEY mode with one slow key: 10,000 records complete above the stuck one.
		CompletedOffsets set = CompletedOffsets.of(5_000, new long[] { 5_001, 15_001 }, 2);
		assertThat(set.encode(4096)).hasSizeLessThan(20);
	}

	@Test
	void scatteredCompletionsOfAParallelBacklogFitTheDefaultLimit() {
		// PARALLEL mode: 10,000 records buffered, a random half of them complete.
		Random random = Seed.create().random();
		List<Long> complete = new ArrayList<>();
		for (long offset = 1; offset <= 10_000; offset++) {
			if (random.nextBoolean()) {
				complete.add(offset);
			}
		}
		CompletedOffsets set = fromOffsets(0, complete);
		String text = set.encode(4096);
		assertThat(text).isNotNull().hasSizeLessThanOrEqualTo(4096);
		assertThat(CompletedOffsets.decode(0, text)).isEqualTo(set);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void textReadsBackToTheSameSetOnRandomisedSets(long seed) {
		Random random = new Random(seed);
		long base = random.nextInt(1_000_000);
		int records = 1 + random.nextInt(5_000);
		double completeShare = random.nextDouble();
		TreeSet<Long> complete = new TreeSet<>();
		long offset = base;
		for (int i = 0; i < records; i++) {
			offset += 1 + ((random.nextInt(10) == 0) ? random.nextInt(50) : 0);
			if (random.nextDouble() < completeShare) {
				complete.add(offset);
			}
		}
		CompletedOffsets set = fromOffsets(base, new ArrayList<>(complete));
		String text = set.encode(Integer.MAX_VALUE);
		CompletedOffsets read = CompletedOffsets.decode(base, text);
		assertThat(read).as("seed %d: %s", seed, text).isEqualTo(set);
		for (long candidate = base; candidate <= offset + 1; candidate++) {
			assertThat(read.contains(candidate)).as("seed %d, offset %d", seed, candidate)
				.isEqualTo(complete.contains(candidate));
		}
	}

	static Stream<Long> seeds() {
		return Stream.of(1L, 42L, 20_261_206L, System.nanoTime());
	}

	// Intervals of consecutive offsets; a gap of offsets that are not complete ends one.
	private static CompletedOffsets fromOffsets(long base, List<Long> complete) {
		long[] bounds = new long[complete.size() * 2];
		int count = 0;
		for (long offset : complete) {
			if (count > 0 && bounds[count - 1] == offset) {
				bounds[count - 1] = offset + 1;
			}
			else {
				bounds[count++] = offset;
				bounds[count++] = offset + 1;
			}
		}
		return CompletedOffsets.of(base, bounds, count);
	}

}
