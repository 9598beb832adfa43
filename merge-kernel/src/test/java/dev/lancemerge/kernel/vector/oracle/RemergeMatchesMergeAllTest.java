package dev.lancemerge.kernel.vector.oracle;

import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D128_FOUR;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D16_THIRTEEN;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.D32_FOUR;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_COSINE;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.FLAT_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ4_L2;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.PQ8_L2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.kernel.vector.Quantizer;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.Dataset;

/**
 * Merging is safe to repeat: for IVF_FLAT and IVF_PQ (8- and 4-bit), merging our merged output again together
 * with the remaining segments (in order), merging two merged outputs, merging a merge of a merge, and merging a
 * segment merged by LANCE (PQ codes transposed) with more segments, all give the same aux rows per partition
 * ({@code _rowid} and un-transposed codes, read with our reader) and, in real Lance, the same k-NN results as
 * merging all original segments at once (ours and Lance's). Lance's own re-merge is measured for the report
 * (it transposes PQ codes a second time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemergeMatchesMergeAllTest {
  @TempDir static Path tmp;

  private Fixture fx;
  private final Map<String, Reference> references = new HashMap<>();
  private final Map<String, String> report = new TreeMap<>();

  /** Merging all originals at once: ours and Lance's committed, the queries, Lance's answers, our aux rows. */
  private record Reference(Base base, List<Segment> ordered, Committed ours, Committed lance, AuxDump oursDump,
      List<QueryVec> queries, Map<Integer, List<List<Hit>>> lanceHits) {}

  @BeforeAll
  void setUp() {
    fx = new Fixture(tmp);
  }

  @AfterAll
  void tearDown() {
    System.out.println("[oracle] Lance's own re-merge (Lance(Lance(first half), rest)) vs Lance(all):");
    report.forEach((k, v) -> System.out.println("[oracle]   " + k + ": " + v));
    fx.close();
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(FLAT_L2, D16_THIRTEEN, true),
        new Case(FLAT_COSINE, D16_THIRTEEN, false),
        new Case(FLAT_L2, D128_FOUR, false),
        new Case(PQ8_L2, D16_THIRTEEN, true),
        new Case(PQ4_L2, D16_THIRTEEN, true),
        new Case(PQ8_L2, D32_FOUR, false),
        new Case(PQ4_L2, D32_FOUR, false));
  }

  private synchronized Reference reference(Case c) throws Exception {
    Reference r = references.get(c.name());
    if (r == null) {
      Base b = fx.base(c.layout());
      List<Segment> ordered = fx.ordered(c);
      Committed lance = MergeOracle.lanceMerged(fx, b, c.name() + "_lance_all", ordered);
      Committed ours = MergeOracle.oursMerged(fx, b, c.name() + "_ours_all", MergeOracle.dirs(ordered), ordered.get(0));
      List<QueryVec> qs = MergeOracle.queries(b, 12, 10);
      Map<Integer, List<List<Hit>>> hits = new LinkedHashMap<>();
      for (int nprobes : nprobes(c)) {
        List<List<Hit>> l = MergeOracle.search(fx, lance.datasetDir(), qs, nprobes);
        assertThat(MergeOracle.differences(qs, nprobes, l, MergeOracle.search(fx, ours.datasetDir(), qs, nprobes),
            "lance(all)", "ours(all)")).as("%s: ours(all) vs Lance(all)", c).isEmpty();
        hits.put(nprobes, l);
      }
      r = new Reference(b, ordered, ours, lance, MergeOracle.dump("ours(all)", ours.segmentDir()), qs, hits);
      references.put(c.name(), r);
    }
    return r;
  }

  private static List<Integer> nprobes(Case c) {
    return List.of(c.layout().nlist(), c.layout().nlist() / 4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void remergingOurOutputEqualsMergingAllAtOnce(Case c) throws Exception {
    Reference ref = reference(c);
    List<Segment> s = ref.ordered();
    int n = s.size();
    Map<String, List<Path>> variants = new LinkedHashMap<>();

    int h = n / 2;
    Path m = scratch(c, "first" + h, MergeOracle.dirs(s.subList(0, h)));
    variants.put("ours(ours(S0..S" + (h - 1) + "), S" + h + "..S" + (n - 1) + ")",
        concat(List.of(m), MergeOracle.dirs(s.subList(h, n))));
    if (n >= 6) {
      int a = n / 3;
      int b = 2 * n / 3;
      Path m1 = scratch(c, "m1", MergeOracle.dirs(s.subList(0, a)));
      Path m2 = scratch(c, "m2", MergeOracle.dirs(s.subList(a, b)));
      variants.put("ours(ours(S0..S" + (a - 1) + "), ours(S" + a + "..S" + (b - 1) + "), S" + b + "..)",
          concat(List.of(m1, m2), MergeOracle.dirs(s.subList(b, n))));
      Path nested = scratch(c, "nested", concat(List.of(m1), MergeOracle.dirs(s.subList(a, b))));
      variants.put("ours(ours(ours(S0..S" + (a - 1) + "), S" + a + "..S" + (b - 1) + "), S" + b + "..)",
          concat(List.of(nested), MergeOracle.dirs(s.subList(b, n))));
    } else {
      Path last = scratch(c, "last", MergeOracle.dirs(s.subList(h, n)));
      variants.put("ours(S0..S" + (h - 1) + ", ours(S" + h + "..))", concat(MergeOracle.dirs(s.subList(0, h)),
          List.of(last)));
    }

    for (Map.Entry<String, List<Path>> v : variants.entrySet()) {
      Committed r = MergeOracle.oursMerged(fx, ref.base(), c.name() + "_variant", v.getValue(), s.get(0));
      MergedFileChecks.checkResult(r.result(), c.kind(), ref.base(), r.segmentDir());
      assertSameAsAll(c, ref, v.getKey(), r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mergingALanceMergedSegmentWithMoreEqualsMergingAll(Case c) throws Exception {
    Reference ref = reference(c);
    List<Segment> s = ref.ordered();
    int n = s.size();
    int h = n / 2;
    Path lanceDs = fx.copy(ref.base(), c.name() + "_lance_half", MergeOracle.dirs(s));
    Segment lanceHalf;
    try (Dataset ds = fx.open(lanceDs)) {
      lanceHalf = RealLanceIndexes.mergeWithLance(ds, lanceDs, s.subList(0, h));
    }
    AuxDump halfDump = MergeOracle.dump("lance(first half)", lanceHalf.dir());
    if (c.kind().isPq()) {
      assertThat(((Quantizer.Pq) halfDump.quantizer()).transposed()).as("Lance's merge writes transposed PQ codes")
          .isTrue();
    }
    String label = "ours(lance(S0..S" + (h - 1) + "), S" + h + "..S" + (n - 1) + ")";
    Committed r = MergeOracle.oursMerged(fx, ref.base(), c.name() + "_on_lance_half",
        concat(List.of(lanceHalf.dir()), MergeOracle.dirs(s.subList(h, n))), s.get(0));
    MergedFileChecks.checkResult(r.result(), c.kind(), ref.base(), r.segmentDir());
    assertSameAsAll(c, ref, label, r);

    // For the report: Lance's own merge of its merged segment with the rest, against Lance(all).
    try (Dataset ds = fx.open(lanceDs)) {
      List<Segment> again = concat(List.of(lanceHalf), s.subList(h, n));
      Segment twice = RealLanceIndexes.mergeWithLance(ds, lanceDs, again);
      ds.commitExistingIndexSegments(MergeOracle.INDEX_NAME, MergeOracle.COLUMN, List.of(twice.index()));
      ds.checkoutLatest();
    }
    List<long[]> truth = MergeOracle.groundTruth(ref.base(), c.kind().distance(), ref.queries());
    List<String> line = new ArrayList<>();
    for (int nprobes : nprobes(c)) {
      List<List<Hit>> twice = MergeOracle.search(fx, lanceDs, ref.queries(), nprobes);
      int differ = MergeOracle.differences(ref.queries(), nprobes, ref.lanceHits().get(nprobes), twice, "a", "b")
          .size();
      line.add(String.format("nprobes %d: %d/%d queries differ, recall %.3f (Lance(all) %.3f)", nprobes, differ,
          ref.queries().size(), MergeOracle.recall(twice, truth),
          MergeOracle.recall(ref.lanceHits().get(nprobes), truth)));
    }
    report.put(c.name(), String.join("; ", line));
  }

  /** Same aux rows (row ids and un-transposed codes, per partition) and same Lance answers as merging all at once. */
  private void assertSameAsAll(Case c, Reference ref, String label, Committed r) throws Exception {
    AuxDump d = MergeOracle.dump(label, r.segmentDir());
    assertThat(MergeOracle.auxDifferences(ref.oursDump(), d, true, 20))
        .as("%s: aux rows per partition, %s vs ours(all)", c, label).isEmpty();
    if (c.kind().isPq()) {
      assertThat(((Quantizer.Pq) d.quantizer()).transposed()).as("%s: output PQ codes transposed", label).isTrue();
    }
    for (int nprobes : nprobes(c)) {
      assertThat(MergeOracle.differences(ref.queries(), nprobes, ref.lanceHits().get(nprobes),
          MergeOracle.search(fx, r.datasetDir(), ref.queries(), nprobes), "lance(all)", label))
          .as("%s: queries whose results differ between Lance(all) and %s", c, label).isEmpty();
    }
  }

  private Path scratch(Case c, String label, List<Path> inputs) throws Exception {
    return MergeOracle.oursScratch(fx, c.name() + "_" + label, inputs).outputDir();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
