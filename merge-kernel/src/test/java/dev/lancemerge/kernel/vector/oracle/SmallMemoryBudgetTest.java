package dev.lancemerge.kernel.vector.oracle;

import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D128_FOUR;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D16_BIG;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ4_M16_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ8_M16_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.SQ_L2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.AuxDump;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Base;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Case;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Committed;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Fixture;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.QueryVec;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.Dataset;

/**
 * The windowed paths of the merge, against real Lance: with the smallest memory budget (64 KiB) and 4 KiB
 * pages, on 30k rows in 4 partitions (thousands of rows per partition and segment), row ids, FLAT vectors and
 * SQ codes move in many windows, PQ partitions are larger than the budget so their transposition is streamed
 * (from row-major inputs, and from transposed inputs when re-merging), and d128 FLAT rows are copied as
 * full-zip page bytes into many small pages. The output must equal the default-budget output row for row
 * (SQ codes included), have Lance's rows per partition, and real Lance must answer it exactly as its own merge
 * (FLAT, PQ; SQ recall on this layout is checked in {@link SqRecallAgainstLanceTest}); merging our merged
 * output, or Lance's, again with the rest must give the same rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmallMemoryBudgetTest {
  static final MergeOptions SMALL = new MergeOptions(64 << 10, 4096);

  @TempDir static Path tmp;

  private Fixture fx;
  private final Map<String, Reference> references = new HashMap<>();

  private record Reference(Base base, List<Segment> ordered, Committed lance, Committed ours, AuxDump oursDump,
      List<QueryVec> queries, Map<Integer, List<List<Hit>>> lanceHits) {}

  @BeforeAll
  void setUp() {
    fx = new Fixture(tmp);
  }

  @AfterAll
  void tearDown() {
    fx.close();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(FLAT_L2, D16_BIG, false),
        new Case(PQ8_M16_L2, D16_BIG, true),
        new Case(PQ4_M16_L2, D16_BIG, false),
        new Case(SQ_L2, D16_BIG, true),
        new Case(FLAT_L2, D128_FOUR, false));
  }

  private static List<Integer> nprobes(Case c) {
    return List.of(c.layout().nlist(), Math.max(1, c.layout().nlist() / 4));
  }

  private synchronized Reference reference(Case c) throws Exception {
    Reference r = references.get(c.name());
    if (r == null) {
      Base b = fx.base(c.layout());
      List<Segment> ordered = fx.ordered(c);
      Committed lance = MergeOracle.lanceMerged(fx, b, c.name() + "_lance", ordered);
      Committed ours = MergeOracle.oursMerged(fx, b, c.name() + "_ours_small", MergeOracle.dirs(ordered),
          ordered.get(0), SMALL);
      MergedFileChecks.checkResult(ours.result(), c.kind(), b, ours.segmentDir());
      List<QueryVec> qs = MergeOracle.queries(b, 12, 10);
      Map<Integer, List<List<Hit>>> hits = new LinkedHashMap<>();
      for (int nprobes : nprobes(c)) {
        hits.put(nprobes, MergeOracle.search(fx, lance.datasetDir(), qs, nprobes));
      }
      r = new Reference(b, ordered, lance, ours, MergeOracle.dump("ours(all, 64 KiB)", ours.segmentDir()), qs, hits);
      references.put(c.name(), r);
    }
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void windowedMergeMatchesLanceAndTheDefaultBudget(Case c) throws Exception {
    Reference ref = reference(c);
    AuxDump small = ref.oursDump();
    int codeBytes = small.quantizer().codeBytes();
    long biggest = Arrays.stream(small.lengths()).max().orElse(0);
    long windowRows = SMALL.memoryBudgetBytes() / 4 / Math.max(8, codeBytes);
    if (c.kind().isPq()) {
      assertThat(biggest * codeBytes).as("a PQ partition (%d rows x %d bytes) exceeds the budget", biggest, codeBytes)
          .isGreaterThan(SMALL.memoryBudgetBytes());
    } else {
      assertThat(biggest).as("a partition spans several windows of %d rows", windowRows).isGreaterThan(windowRows);
    }

    Path dflt = MergeOracle.oursScratch(fx, c.name() + "_default", MergeOracle.dirs(ref.ordered())).outputDir();
    assertThat(MergeOracle.auxDifferences(MergeOracle.dump("ours(all, default budget)", dflt), small, true, 20))
        .as("%s: 64 KiB budget vs default budget, rows per partition", c).isEmpty();

    AuxDump lanceDump = MergeOracle.dump("lance(all)", ref.lance().segmentDir());
    assertThat(MergeOracle.auxDifferences(lanceDump, small, !c.kind().isSq(), 20))
        .as("%s: aux rows per partition, Lance's merge vs ours (64 KiB)", c).isEmpty();
    if (!c.kind().isSq()) { // SQ recall on this layout: SqRecallAgainstLanceTest
      assertSameAnswers(c, ref, ref.ours(), "ours(all, 64 KiB)");
    }
    MergedFileChecks.check(fx, c.kind(), ref.base(), ref.ours().segmentDir(), ref.lance().segmentDir(), true,
        ref.ordered().get(0).dir());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void windowedRemergesEqualMergingAll(Case c) throws Exception {
    Reference ref = reference(c);
    List<Segment> s = ref.ordered();
    int n = s.size();
    int h = n / 2;
    Map<String, List<Path>> variants = new LinkedHashMap<>();
    Path m = MergeOracle.oursScratch(fx, c.name() + "_half", MergeOracle.dirs(s.subList(0, h)), SMALL).outputDir();
    variants.put("ours(ours(S0..S" + (h - 1) + "), S" + h + "..)", concat(List.of(m), MergeOracle.dirs(s.subList(h, n))));
    if (!c.kind().isSq()) { // Lance's own SQ merge misreads codes: not an input to build on
      Path lanceDs = fx.copy(ref.base(), c.name() + "_lance_half", MergeOracle.dirs(s));
      Segment lanceHalf;
      try (Dataset ds = fx.open(lanceDs)) {
        lanceHalf = RealLanceIndexes.mergeWithLance(ds, lanceDs, s.subList(0, h));
      }
      variants.put("ours(lance(S0..S" + (h - 1) + "), S" + h + "..)",
          concat(List.of(lanceHalf.dir()), MergeOracle.dirs(s.subList(h, n))));
    }
    for (Map.Entry<String, List<Path>> v : variants.entrySet()) {
      Committed r = MergeOracle.oursMerged(fx, ref.base(), c.name() + "_re", v.getValue(), s.get(0), SMALL);
      MergedFileChecks.checkResult(r.result(), c.kind(), ref.base(), r.segmentDir());
      assertThat(MergeOracle.auxDifferences(ref.oursDump(), MergeOracle.dump(v.getKey(), r.segmentDir()),
          !c.kind().isSq(), 20)).as("%s: %s vs ours(all), rows per partition", c, v.getKey()).isEmpty();
      if (!c.kind().isSq()) {
        assertSameAnswers(c, ref, r, v.getKey());
      }
    }
  }

  private void assertSameAnswers(Case c, Reference ref, Committed r, String label) throws Exception {
    for (int nprobes : nprobes(c)) {
      assertThat(MergeOracle.differences(ref.queries(), nprobes, ref.lanceHits().get(nprobes),
          MergeOracle.search(fx, r.datasetDir(), ref.queries(), nprobes), "lance(all)", label))
          .as("%s: queries whose results differ between Lance(all) and %s", c, label).isEmpty();
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
