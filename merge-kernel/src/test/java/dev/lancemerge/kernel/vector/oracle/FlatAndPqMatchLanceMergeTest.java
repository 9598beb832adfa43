package dev.lancemerge.kernel.vector.oracle;

import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D128_FOUR;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D16_ONE;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D16_THIRTEEN;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D32_FOUR;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D32_FOUR_DEAD;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_COSINE;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_DOT;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ4_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ8_COSINE;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ8_DOT;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ8_L2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.kernel.vector.oracle.MergeOracle.AuxDump;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Base;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Case;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Committed;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Fixture;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.QueryVec;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Layout;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IVF_FLAT (l2, cosine, dot; d128 = 512-byte rows, moved as full-zip page bytes) and IVF_PQ (8-bit, 4-bit; l2, cosine, dot): per-fragment segments built by real
 * Lance 7.0.0 with shared centroids and codebook, merged (same segments, same order) by Lance's
 * {@code mergeExistingIndexSegments} and by our {@code VectorSegmentMerger}, each committed in its own copy of
 * the dataset. Real Lance must return exactly the same ids, distances and row ids from both, at nprobes = nlist
 * and nlist/4; the aux rows must be the same per partition (row ids and un-transposed codes); and our files
 * must open with lance-core's reader and carry what Lance's merge writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlatAndPqMatchLanceMergeTest {
  @TempDir static Path tmp;

  private Fixture fx;
  private final Map<String, String> report = new TreeMap<>();

  @BeforeAll
  void setUp() {
    fx = new Fixture(tmp);
  }

  @AfterAll
  void tearDown() {
    System.out.println("[oracle] FLAT/PQ, recall@10 of ours (= Lance merged) vs brute force:");
    report.forEach((k, v) -> System.out.println("[oracle]   " + k + ": " + v));
    fx.close();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(FLAT_L2, D16_ONE, false),
        new Case(FLAT_L2, D32_FOUR, false),
        new Case(FLAT_L2, D16_THIRTEEN, true),
        new Case(FLAT_L2, D32_FOUR_DEAD, false),
        new Case(FLAT_L2, D128_FOUR, true),
        new Case(FLAT_COSINE, D32_FOUR, false),
        new Case(FLAT_COSINE, D16_THIRTEEN, true),
        new Case(FLAT_DOT, D32_FOUR, false),
        new Case(FLAT_DOT, D16_THIRTEEN, false),
        new Case(PQ8_L2, D16_ONE, false),
        new Case(PQ8_L2, D32_FOUR, false),
        new Case(PQ8_L2, D16_THIRTEEN, true),
        new Case(PQ8_L2, D32_FOUR_DEAD, true),
        new Case(PQ4_L2, D16_ONE, false),
        new Case(PQ4_L2, D32_FOUR, false),
        new Case(PQ4_L2, D16_THIRTEEN, true),
        new Case(PQ4_L2, D32_FOUR_DEAD, false),
        new Case(PQ8_COSINE, D32_FOUR, true),
        new Case(PQ8_DOT, D32_FOUR, false));
  }

  /** The fixtures really have what the cases claim: partitions empty in some segments, one empty in all. */
  @Test
  void segmentsHaveEmptyPartitions() throws Exception {
    for (Layout l : List.of(D32_FOUR, D16_THIRTEEN)) {
      int withEmpty = 0;
      for (Segment s : fx.segments(FLAT_L2, l)) {
        try (VectorSegment v = VectorSegment.open(s.dir())) {
          for (int p = 0; p < v.partitions(); p++) {
            if (v.length(p) == 0) {
              withEmpty++;
              break;
            }
          }
        }
      }
      assertThat(withEmpty).as("%s: segments with an empty partition", l).isGreaterThanOrEqualTo(l == D16_THIRTEEN ? 4 : 1);
    }
    for (Segment s : fx.segments(FLAT_L2, D32_FOUR_DEAD)) {
      try (VectorSegment v = VectorSegment.open(s.dir())) {
        assertThat(v.length(D32_FOUR_DEAD.nlist() - 1)).as("dead partition of %s", s.dir().getFileName()).isZero();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void realLanceAnswersOurMergeExactlyAsItsOwn(Case c) throws Exception {
    Base b = fx.base(c.layout());
    List<Segment> ordered = fx.ordered(c);
    Committed lance = MergeOracle.lanceMerged(fx, b, c.name() + "_lance", ordered);
    Committed ours = MergeOracle.oursMerged(fx, b, c.name() + "_ours", MergeOracle.dirs(ordered), ordered.get(0));

    MergedFileChecks.checkResult(ours.result(), c.kind(), b, ours.segmentDir());

    List<QueryVec> qs = MergeOracle.queries(b, 12, 10);
    List<long[]> truth = MergeOracle.groundTruth(b, c.kind().distance(), qs);
    List<String> recalls = new ArrayList<>();
    for (int nprobes : List.of(c.layout().nlist(), c.layout().nlist() / 4)) {
      List<List<Hit>> expected = MergeOracle.search(fx, lance.datasetDir(), qs, nprobes);
      List<List<Hit>> actual = MergeOracle.search(fx, ours.datasetDir(), qs, nprobes);
      assertThat(expected).as("Lance's merge answers every query with k hits").allSatisfy(h -> assertThat(h)
          .hasSize(MergeOracle.K));
      assertThat(MergeOracle.differences(qs, nprobes, expected, actual, "lance", "ours"))
          .as("%s: queries whose results differ between Lance's merge and ours", c).isEmpty();
      recalls.add(String.format("nprobes %d: %.3f", nprobes, MergeOracle.recall(actual, truth)));
    }
    report.put(c.name(), String.join(", ", recalls));

    AuxDump l = MergeOracle.dump("lance", lance.segmentDir());
    AuxDump o = MergeOracle.dump("ours", ours.segmentDir());
    assertThat(MergeOracle.auxDifferences(l, o, true, 20))
        .as("%s: aux rows per partition (_rowid, %s) Lance's merge vs ours", c, l.quantizer().column()).isEmpty();

    MergedFileChecks.check(fx, c.kind(), b, ours.segmentDir(), lance.segmentDir(), ordered.size() > 1,
        ordered.get(0).dir());
  }
}
