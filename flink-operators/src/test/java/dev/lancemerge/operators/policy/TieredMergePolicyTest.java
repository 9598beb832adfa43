package dev.lancemerge.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.operators.policy.TieredMergePolicy.Config;
import dev.lancemerge.operators.policy.WriteAmplification.Arrival;
import dev.lancemerge.operators.policy.WriteAmplification.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TieredMergePolicyTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final Config DEFAULTS = Config.defaults();
    private static final long MAX_DELAY = DEFAULTS.maxDelay().toMillis();

    private static SegmentInfo pending(String id, long bytes, long arrivedAt) {
        return SegmentInfo.fresh(id, bytes, bytes / 512, arrivedAt);
    }

    private static SegmentInfo merged(String id, long bytes, long arrivedAt) {
        return new SegmentInfo(id, bytes, bytes / 512, arrivedAt, 1);
    }

    private static List<List<String>> ids(List<MergeSpec> specs) {
        return specs.stream().map(s -> s.inputs().stream().map(SegmentInfo::id).toList()).toList();
    }

    /** Tiers between the floor and the total size, growing by the merge factor, plus the floor tier. */
    private static int tiers(long totalBytes, Config config) {
        int tiers = 1;
        for (long size = config.floorSegmentBytes(); size < totalBytes; size *= config.mergeFactor()) {
            tiers++;
        }
        return tiers;
    }

    // ---- streams through the simulator -------------------------------------------------------------------

    @Test
    void thousandEqualSmallSegmentsEndInFewSegmentsWithBoundedWriteAmplification() {
        Report r = WriteAmplification.run(new TieredMergePolicy(DEFAULTS),
                WriteAmplification.steady(1000, MIB, 1_000));
        System.out.println("[policy] 1000 x 1 MiB, one per second, defaults: " + r);

        int bound = DEFAULTS.segmentsPerTier() * tiers(r.bytesIngested(), DEFAULTS);
        assertThat(bound).isEqualTo(24);
        assertThat(r.finalLiveSegments()).isLessThanOrEqualTo(bound);
        assertThat(r.maxLiveSegments()).isLessThanOrEqualTo(bound);
        assertThat(r.writeAmplification()).isBetween(2.0, 6.0);
        assertThat(r.maxWaitMillis()).isLessThanOrEqualTo(MAX_DELAY);
        assertThat(r.largestMergeBytes()).isLessThanOrEqualTo(DEFAULTS.maxMergedSegmentBytes());
    }

    @Test
    void slowStreamIsMergedWithinMaxDelay() {
        Report r = WriteAmplification.run(new TieredMergePolicy(DEFAULTS),
                WriteAmplification.steady(1000, MIB, 10 * 60_000));
        System.out.println("[policy] 1000 x 1 MiB, one per 10 minutes, defaults: " + r);

        assertThat(r.maxWaitMillis()).isEqualTo(MAX_DELAY); // each one waits its full delay, alone
        assertThat(r.passThroughs()).isPositive();
        assertThat(r.finalLiveSegments()).isLessThanOrEqualTo(DEFAULTS.segmentsPerTier() * tiers(r.bytesIngested(), DEFAULTS));
        assertThat(r.writeAmplification()).isLessThanOrEqualTo(6.0);
    }

    @Test
    void perFragmentVectorSegmentsOfBenchmarkSize() {
        // 50k x 128 float vectors per fragment: about 25 MiB, above the floor
        Report r = WriteAmplification.run(new TieredMergePolicy(DEFAULTS),
                WriteAmplification.steady(1000, 50_000L * 128 * 4, 2_000));
        System.out.println("[policy] 1000 x 24.4 MiB, one per 2 seconds, defaults: " + r);

        assertThat(r.writeAmplification()).isLessThanOrEqualTo(6.0);
        assertThat(r.largestMergeBytes()).isLessThanOrEqualTo(DEFAULTS.maxMergedSegmentBytes());
        assertThat(r.maxWaitMillis()).isLessThanOrEqualTo(MAX_DELAY);
    }

    @Test
    void mergesNeverExceedTheMaximumAndNoSegmentIsInTwoSpecs() {
        Config config = DEFAULTS.withFloorSegmentBytes(MIB).withMaxMergedSegmentBytes(256 * MIB);
        WriteAmplification sim = new WriteAmplification(new TieredMergePolicy(config));
        Report r = sim.replay(randomStream(new Random(42), 3000));
        System.out.println("[policy] 3000 random sizes (log-normal around 1 MiB), max merged 256 MiB, floor 1 MiB: " + r);

        assertThat(sim.allSpecs()).isNotEmpty();
        for (MergeSpec spec : sim.allSpecs()) {
            if (!spec.isPassThrough()) {
                assertThat(spec.totalBytes()).isLessThanOrEqualTo(config.maxMergedSegmentBytes());
                assertThat(spec.inputs()).allMatch(s -> s.bytes() <= config.maxMergedSegmentBytes() / 2);
            }
        }
        // the simulator also fails on any segment in two specs of one call, or an input that is not live
        Set<String> consumed = new HashSet<>();
        for (MergeSpec spec : sim.allSpecs()) {
            if (!spec.isPassThrough()) {
                for (SegmentInfo in : spec.inputs()) {
                    assertThat(consumed.add(in.id())).as("merged twice: %s", in.id()).isTrue();
                }
            }
        }
        assertThat(r.maxWaitMillis()).isLessThanOrEqualTo(MAX_DELAY);
    }

    @Test
    void noSegmentIsInTwoSpecsOfOneCall() {
        Random random = new Random(3);
        List<SegmentInfo> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long bytes = 1 + (long) (MIB * Math.exp(random.nextGaussian() * 2));
            live.add(random.nextBoolean() ? pending("p" + i, bytes, random.nextInt(1_000_000))
                    : merged("m" + i, bytes, random.nextInt(1_000_000)));
        }
        List<MergeSpec> specs = new TieredMergePolicy(DEFAULTS).findMerges(live, 1_000_000);

        assertThat(specs).hasSizeGreaterThan(1);
        List<String> all = specs.stream().flatMap(s -> s.inputs().stream()).map(SegmentInfo::id).toList();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(live.stream().map(SegmentInfo::id).toList()).containsAll(all);
        for (MergeSpec spec : specs) {
            assertThat(spec.inputs()).isSortedAccordingTo(SegmentInfo.BY_ARRIVAL);
            assertThat(spec.inputs().size()).isLessThanOrEqualTo(DEFAULTS.maxMergeAtOnce());
        }
    }

    // ---- maxDelay ----------------------------------------------------------------------------------------

    @Test
    void loneSmallSegmentIsPassedThroughAtMaxDelayAndNotBefore() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        SegmentInfo lone = pending("a", MIB, 10_000);
        List<SegmentInfo> live = List.of(lone);

        assertThat(policy.nextDeadlineMillis(live)).isEqualTo(10_000 + MAX_DELAY);
        assertThat(policy.findMerges(live, 10_000)).isEmpty();
        assertThat(policy.findMerges(live, 10_000 + MAX_DELAY - 1)).isEmpty();

        List<MergeSpec> due = policy.findMerges(live, 10_000 + MAX_DELAY);
        assertThat(due).containsExactly(new MergeSpec(List.of(lone)));
        assertThat(due.get(0).isPassThrough()).isTrue();

        SegmentInfo settled = due.get(0).output("a", 10_000 + MAX_DELAY);
        assertThat(settled.generation()).isEqualTo(1);
        assertThat(settled.isPending()).isFalse();
        assertThat(policy.nextDeadlineMillis(List.of(settled))).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.findMerges(List.of(settled), Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void overdueSmallSegmentIsMergedWithThePendingSmallOnesButNotWithMergedSegments() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        SegmentInfo big = merged("big", GIB, 0);
        SegmentInfo smallMerged = merged("m", 2 * MIB, 0);
        SegmentInfo a = pending("a", 15 * MIB, 1_000);
        SegmentInfo b = pending("b", MIB, 5_000);
        SegmentInfo c = pending("c", 3 * MIB, 9_000);
        SegmentInfo large = pending("large", 40 * MIB, 2_000); // above the floor: passed through alone
        List<SegmentInfo> live = List.of(big, c, large, smallMerged, b, a);

        assertThat(policy.nextDeadlineMillis(live)).isEqualTo(1_000 + MAX_DELAY);
        assertThat(policy.findMerges(live, 1_000 + MAX_DELAY - 1)).isEmpty();
        assertThat(ids(policy.findMerges(live, 1_000 + MAX_DELAY)))
                .containsExactly(List.of("a", "b", "c")); // 19 < 1.5 x 15 MiB: allowed, the deadline forces it
        assertThat(ids(policy.findMerges(live, 2_000 + MAX_DELAY)))
                .containsExactly(List.of("large"), List.of("a", "b", "c"));
    }

    @Test
    void overdueGroupsHoldAtMostMaxMergeAtOnceAndYoungerGroupsWait() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS.withMaxMergeAtOnce(4).withSegmentsPerTier(100));
        List<SegmentInfo> live = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            live.add(pending("s" + i, MIB, i * 1_000L));
        }
        // s0..s4 overdue at 4_000 + delay: groups [s0..s3] and [s4..s7]; s8, s9 wait
        assertThat(ids(policy.findMerges(live, 4_000 + MAX_DELAY))).containsExactly(
                List.of("s0", "s1", "s2", "s3"), List.of("s4", "s5", "s6", "s7"));
    }

    @Test
    void nextDeadlineIsTheEarliestPendingArrivalPlusMaxDelay() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        assertThat(policy.nextDeadlineMillis(List.of())).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.nextDeadlineMillis(List.of(merged("m", MIB, 0)))).isEqualTo(Long.MAX_VALUE);
        assertThat(policy.nextDeadlineMillis(List.of(pending("a", MIB, 500), merged("m", MIB, 0),
                pending("b", MIB, 200)))).isEqualTo(200 + MAX_DELAY);
        assertThat(policy.nextDeadlineMillis(List.of(pending("late", MIB, Long.MAX_VALUE - 1))))
                .isEqualTo(Long.MAX_VALUE);
    }

    // ---- size limits and minGrowth -----------------------------------------------------------------------

    @Test
    void segmentLargerThanHalfTheMaximumIsNeverMerged() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        SegmentInfo huge = merged("huge", 3 * GIB, 0); // > 5 GiB / 2
        List<SegmentInfo> live = new ArrayList<>(List.of(huge));
        for (int i = 0; i < 40; i++) {
            live.add(merged("s" + i, 100 * MIB, i));
        }
        List<MergeSpec> specs = policy.findMerges(live, Long.MAX_VALUE / 2);
        assertThat(specs).isNotEmpty();
        assertThat(specs).noneMatch(s -> s.inputs().contains(huge));

        // a pending huge one is only ever passed through, after maxDelay
        List<Arrival> stream = new ArrayList<>();
        stream.add(new Arrival(0, 3 * GIB, 1));
        stream.addAll(WriteAmplification.steady(500, 20 * MIB, 1_000).stream()
                .map(a -> new Arrival(a.atMillis() + 1, a.bytes(), a.rows())).toList());
        WriteAmplification sim = new WriteAmplification(policy);
        sim.replay(stream);
        List<MergeSpec> withHuge = sim.allSpecs().stream()
                .filter(s -> s.inputs().stream().anyMatch(in -> in.id().equals("seg-0"))).toList();
        assertThat(withHuge).hasSize(1);
        assertThat(withHuge.get(0).isPassThrough()).isTrue();
    }

    @Test
    void minGrowthRefusesABigSegmentWithTinyOnesAndMergesTheTinyOnesInstead() {
        // over budget; without minGrowth the least-cost window is 22 MiB + 1 + 5 + 2 MiB (30 < 1.5 x 22)
        Config config = new Config(2, 4, 18 * MIB, 100 * MIB, Duration.ofMinutes(5), 1.5);
        List<SegmentInfo> live = new ArrayList<>();
        long[] sizes = {22, 1, 28, 42, 5, 2};
        for (int i = 0; i < sizes.length; i++) {
            live.add(merged(sizes[i] + "MiB", sizes[i] * MIB, i));
        }
        assertThat(ids(new TieredMergePolicy(config.withMinGrowth(1.0)).findMerges(live, 0)))
                .containsExactly(List.of("22MiB", "1MiB", "5MiB", "2MiB"));
        assertThat(ids(new TieredMergePolicy(config).findMerges(live, 0)))
                .containsExactly(List.of("1MiB", "5MiB", "2MiB"));
    }

    @Test
    void bigSegmentIsNotRemergedWithOneTinyOneEvenAfterMaxDelay() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        SegmentInfo big = merged("big", 800 * MIB, 0);
        SegmentInfo tiny = pending("tiny", MIB, 1_000);
        List<SegmentInfo> live = List.of(big, tiny);

        assertThat(policy.findMerges(live, 1_000)).isEmpty();
        assertThat(policy.findMerges(live, 1_000 + MAX_DELAY - 1)).isEmpty();
        assertThat(ids(policy.findMerges(live, 1_000 + MAX_DELAY))).containsExactly(List.of("tiny"));
    }

    @Test
    void floorSizedSegmentsMergeEvenWhenOneDominates() {
        // 8 floor-sized segments (one of 15 MiB, seven tiny): refused by growth alone, allowed as a full tier
        Config config = DEFAULTS.withMaxMergeAtOnce(8);
        List<SegmentInfo> window = new ArrayList<>(List.of(merged("a", 15 * MIB, 0)));
        for (int i = 0; i < 7; i++) {
            window.add(merged("t" + i, 1, i + 1));
        }
        long total = window.stream().mapToLong(SegmentInfo::bytes).sum();
        assertThat(LeastCostMerge.growsEnough(window, total, config)).isTrue();
        assertThat(LeastCostMerge.growsEnough(window.subList(0, 7), total - 1, config)).isFalse();
    }

    @Test
    void budgetFollowsLuceneTiers() {
        // ES #81102: 10 per tier, 2 MB floor, a 1000 MB index may hold 10 + 10 + 4 = 24 segments
        Config config = DEFAULTS.withSegmentsPerTier(10).withMaxMergeAtOnce(10)
                .withFloorSegmentBytes(2_000_000);
        List<SegmentInfo> segments = List.of(merged("a", 1_000_000, 0), merged("b", 999_000_000, 0));
        assertThat(TierBudget.allowedSegments(segments, config)).isEqualTo(24);
        assertThat(TierBudget.allowedSegments(List.of(), config)).isEqualTo(10);
        assertThat(TierBudget.allowedSegments(List.of(merged("a", 1, 0)), config)).isEqualTo(10);
    }

    @Test
    void underBudgetNothingIsMerged() {
        List<SegmentInfo> live = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            live.add(merged("s" + i, MIB, i));
        }
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        assertThat(policy.findMerges(live, Long.MAX_VALUE)).isEmpty();
        live.add(merged("s8", MIB, 8));
        assertThat(ids(policy.findMerges(live, 0)))
                .containsExactly(live.stream().map(SegmentInfo::id).toList());
    }

    // ---- determinism -------------------------------------------------------------------------------------

    @Test
    void sameInputGivesSameOutputWhateverTheOrder() {
        Random random = new Random(11);
        List<SegmentInfo> live = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long bytes = (1 + random.nextInt(4)) * MIB; // many ties in size
            live.add(random.nextInt(3) == 0 ? pending("p" + i, bytes, random.nextInt(100))
                    : merged("m" + i, bytes, random.nextInt(100)));
        }
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        List<MergeSpec> first = policy.findMerges(live, 100 + MAX_DELAY - 50);
        for (int round = 0; round < 5; round++) {
            List<SegmentInfo> shuffled = new ArrayList<>(live);
            Collections.shuffle(shuffled, random);
            assertThat(new TieredMergePolicy(DEFAULTS).findMerges(shuffled, 100 + MAX_DELAY - 50))
                    .isEqualTo(first);
        }
        List<Arrival> stream = randomStream(new Random(5), 1000);
        WriteAmplification one = new WriteAmplification(policy);
        WriteAmplification two = new WriteAmplification(new TieredMergePolicy(DEFAULTS));
        assertThat(one.replay(stream)).isEqualTo(two.replay(stream));
        assertThat(one.allSpecs()).isEqualTo(two.allSpecs());
    }

    // ---- validation --------------------------------------------------------------------------------------

    @Test
    void defaults() {
        assertThat(DEFAULTS).isEqualTo(new Config(8, 16, 16 * MIB, 5 * GIB, Duration.ofMinutes(5), 1.5));
        assertThat(DEFAULTS.mergeFactor()).isEqualTo(8);
    }

    @Test
    void configValidationErrorsNameTheSetting() {
        assertThatThrownBy(() -> DEFAULTS.withSegmentsPerTier(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segmentsPerTier must be >= 2, got 1");
        assertThatThrownBy(() -> DEFAULTS.withMaxMergeAtOnce(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMergeAtOnce must be >= 2, got 0");
        assertThatThrownBy(() -> DEFAULTS.withFloorSegmentBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("floorSegmentBytes must be > 0, got 0");
        assertThatThrownBy(() -> DEFAULTS.withMaxMergedSegmentBytes(16 * MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMergedSegmentBytes (16777216) must be greater than floorSegmentBytes (16777216)");
        assertThatThrownBy(() -> DEFAULTS.withMaxDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDelay must be positive, got PT0S");
        assertThatThrownBy(() -> DEFAULTS.withMaxDelay(null))
                .isInstanceOf(NullPointerException.class).hasMessage("maxDelay");
        assertThatThrownBy(() -> DEFAULTS.withMinGrowth(0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minGrowth must be a finite number >= 1.0, got 0.9");
        assertThatThrownBy(() -> DEFAULTS.withMinGrowth(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minGrowth");
        assertThatThrownBy(() -> new TieredMergePolicy(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void inputValidation() {
        TieredMergePolicy policy = new TieredMergePolicy(DEFAULTS);
        assertThatThrownBy(() -> policy.findMerges(List.of(pending("a", 1, 0), merged("a", 2, 0)), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment a is listed twice among the live segments");
        assertThatThrownBy(() -> pending("a", -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segment a: bytes must be >= 0, got -1");
        assertThatThrownBy(() -> new SegmentInfo(" ", 1, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segment id must not be blank");
        assertThatThrownBy(() -> new SegmentInfo("a", 1, 1, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segment a: generation must be >= 0, got -1");
        assertThatThrownBy(() -> new MergeSpec(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a merge needs at least one input");
        SegmentInfo a = pending("a", 1, 0);
        assertThatThrownBy(() -> new MergeSpec(List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("segment a appears twice in one merge");
    }

    @Test
    void mergeSpecOrdersInputsByArrivalAndDescribesItsOutput() {
        MergeSpec spec = new MergeSpec(List.of(merged("late", 3, 30), pending("early", 5, 10),
                new SegmentInfo("mid", 7, 70, 20, 3)));
        assertThat(spec.inputs()).extracting(SegmentInfo::id).containsExactly("early", "mid", "late");
        assertThat(spec.totalBytes()).isEqualTo(15);
        assertThat(spec.output("out", 99)).isEqualTo(new SegmentInfo("out", 15, 70 + 3 / 512 + 5 / 512, 99, 4));
    }

    private static List<Arrival> randomStream(Random random, int count) {
        List<Arrival> arrivals = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < count; i++) {
            t += random.nextInt(120_000);
            long bytes = 1 + (long) (MIB * Math.exp(random.nextGaussian() * 1.5));
            arrivals.add(new Arrival(t, bytes, bytes / 512));
        }
        return arrivals;
    }

    @SuppressWarnings("unused")
    private static String describe(List<MergeSpec> specs) {
        return specs.stream().map(s -> s.inputs().stream().map(i -> i.bytes() / MIB + "M").collect(Collectors.joining("+")))
                .collect(Collectors.joining(", "));
    }
}
